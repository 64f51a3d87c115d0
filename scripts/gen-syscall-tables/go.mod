module goarchlens/gen-syscall-tables

go 1.26
