"""Tables: schemas, validation and quarantine, codebook, publication, the row cache, people across articles."""
