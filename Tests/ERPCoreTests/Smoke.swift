import Testing

@Test func placeholderERPCore() {}
