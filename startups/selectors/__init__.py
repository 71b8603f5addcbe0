"""Read queries of startup support. Who may see what is decided here and nowhere else; one
module per part of the journey."""
