import Testing

extension Tag {
    /// Tests driven by the register vectors in Fixtures/.
    @Tag static var vectors: Self
}
