module goarchlens/gen-std-layouts

go 1.26
