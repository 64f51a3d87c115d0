module goarchlens/gen-runtime-tables

go 1.26
