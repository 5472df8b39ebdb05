"""Tests of the payment-message readers and their screening."""
