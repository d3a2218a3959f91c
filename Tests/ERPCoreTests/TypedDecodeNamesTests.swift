import ERPCore
import ERPTestSupport
import Testing

/// `DataReader` finds a member first by its name's representation (the very string asked for,
/// as the parser returns a record's names), then by bytes: typed events decoded from data whose
/// names are other strings of the same bytes (heap copies, which no literal is) are the same.
@Suite("typed events from names of any representation")
struct TypedDecodeNamesTests {
  /// `o` with every name (at every depth) replaced by a heap copy of its bytes.
  static func heapNames(_ o: JSONObject) -> JSONObject {
    JSONObject(o.members.map { m in
      var k = String(decoding: Array(m.key.utf8), as: UTF8.self)
      k.reserveCapacity(64)  // a small string moves to storage of its own
      return (k, heapNames(m.value))
    })
  }

  static func heapNames(_ v: JSONValue) -> JSONValue {
    switch v {
    case .object(let o): .object(heapNames(o))
    case .array(let a): .array(a.map(heapNames))
    default: v
    }
  }

  @Test func sameEventsWhateverTheNames() throws {
    var events: [NewEvent] = []
    _ = try HistoryGenerator.run(GenerateOptions(months: 4, customers: 40, reps: 4, products: 20, seed: 8)) {
      events.append($0)
    }
    #expect(events.count > 300)
    var types = Set<String>()
    for e in events {
      let data = try EventCatalog.check(type: e.type, data: e.data, moneyDigits: 2)
      let copy = Self.heapNames(data)
      #expect(copy == data)
      let a = try SalesEvent(type: e.type, data: data, digits: 2)
      let b = try SalesEvent(type: e.type, data: copy, digits: 2)
      #expect(a == b, "\(e.type) \(e.key ?? "")")
      types.insert(e.type)
    }
    #expect(types.count >= 10)
  }
}
