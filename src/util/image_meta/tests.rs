//! Tests of image_meta
