mod envelope;
