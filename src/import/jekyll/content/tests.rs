//! Tests of the conversion of Jekyll text.
