//! The action language.
