"""Stage 1, reports and facts in: data files read, checked and resolved into the model."""
