"""Running the flow: worker batches, the Dask runner, scheduled serving, environment defaults, the output lock."""
