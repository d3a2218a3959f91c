import Testing

@Test func placeholderERPCLI() {}
