//! Importers of real dump formats (being written).
