"""Benchmarks (`make bench`): throughput against bare spaCy, memory, people resolution at scale."""
