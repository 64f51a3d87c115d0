module goarchlens/gen-std-layouts

go 1.26

require goarchlens/genkit v0.0.0

replace goarchlens/genkit => ../genkit
