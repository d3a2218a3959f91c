import Testing

@Test func placeholderERPStore() {}
