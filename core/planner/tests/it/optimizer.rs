//! The optimizer against exhaustive enumeration.
