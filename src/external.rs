//! Checking outbound links over the network (`echt check --external`).
