"""One module per command (or family of commands). Each defines `register(app)`; the CLI finds them all."""
