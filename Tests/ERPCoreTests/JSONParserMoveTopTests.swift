import Testing

@testable import ERPCore

/// `JSONParser.moveTop` moves the top of a stack into an array of its own: the same elements as
/// copying them out and removing them, and each element still released exactly once.
@Suite("JSONParser: moving the top of a stack")
struct JSONParserMoveTopTests {
  final class Counted {
    let id: Int
    let gone: Box
    init(_ id: Int, _ gone: Box) { (self.id, self.gone) = (id, gone) }
    deinit { gone.ids.append(id) }
  }
  final class Box { var ids: [Int] = [] }

  @Test func sameAsCopyingThenRemoving() {
    for total in 0..<12 {
      for base in 0...total {
        let gone = Box()
        do {
          var stack = (0..<total).map { Counted($0, gone) }
          let spent = Counted(-1, gone)
          let moved = JSONParser.moveTop(of: &stack, from: base, leaving: spent)
          #expect(moved.map(\.id) == Array(base..<total), "\(total) \(base)")
          #expect(stack.map(\.id) == Array(0..<base), "\(total) \(base)")
          #expect(gone.ids.isEmpty, "released too early")
          // The stack keeps its room for the next object.
          stack.append(Counted(total, gone))
        }
        // Every element released once: moved ones with `moved`, the others with the stack.
        #expect(gone.ids.sorted() == [-1] + Array(0...total), "\(total) \(base)")
      }
    }
  }

  @Test func parsedObjectsAndArraysKeepTheirMembers() throws {
    let text = #"{"a":[1,[2,{"b":[3,4]}],{"c":{"d":[]}}],"e":{"f":"g","h":[{"i":1},{"j":[5,6,7]}]},"k":-3}"#
    let value = try JSONParser.parse(Array(text.utf8))
    #expect(
      value
        == .object(JSONObject([
          ("a", [1, [2, ["b": [3, 4]]], ["c": ["d": []]]]),
          ("e", ["f": "g", "h": [["i": 1], ["j": [5, 6, 7]]]]),
          ("k", -3),
        ])))
  }
}
