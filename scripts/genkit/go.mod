module goarchlens/genkit

go 1.26
