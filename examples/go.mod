module example.com/goarchlens-examples

go 1.26
