import ERPCore
import Testing

/// Version 1 of a made-up `OrderCancelled` wrote its reason as `why`; version 2 calls it `reason`.
private let renameWhy: Upcaster.Step = { data in
  var d = data
  d["reason"] = d["why"]
  d["why"] = nil
  return d
}

private let appendA: Upcaster.Step = { data in
  var d = data
  d["trail"] = .string((d["trail"]?.stringValue ?? "") + "a")
  return d
}

private let appendB: Upcaster.Step = { data in
  var d = data
  d["trail"] = .string((d["trail"]?.stringValue ?? "") + "b")
  return d
}

private let refuse: Upcaster.Step = { _ throws(EventInputError) in
  throw EventInputError(field: "data.why", "cannot be upcast")
}

@Suite("Upcaster")
struct UpcasterTests {
  let upcaster = Upcaster(steps: ["OrderCancelled": [1: renameWhy]])

  @Test func standardHasEveryTypeAtVersionOne() {
    for schema in EventCatalog.schemas {
      #expect(Upcaster.standard.currentVersion(of: schema.type) == 1, "\(schema.type)")
    }
    #expect(Upcaster.standard.currentVersion(of: "NoSuchEvent") == 1)
  }

  @Test func oneStepRaisesTheVersionOfThatTypeOnly() {
    #expect(upcaster.currentVersion(of: "OrderCancelled") == 2)
    #expect(upcaster.currentVersion(of: "Shipped") == 1)
  }

  @Test func chainedStepsCount() {
    let u = Upcaster(steps: ["StockAdjusted": [1: appendA, 2: appendB]])
    #expect(u.currentVersion(of: "StockAdjusted") == 3)
    // A step with no path from version 1 does not count.
    let gap = Upcaster(steps: ["StockAdjusted": [2: appendB]])
    #expect(gap.currentVersion(of: "StockAdjusted") == 1)
  }

  @Test func upcastAppliesTheStep() throws {
    let v1 = try jsonObject(#"{"order":"SO-1","why":"duplicate"}"#)
    let v2 = try upcaster.upcast(type: "OrderCancelled", v: 1, data: v1)
    #expect(v2 == JSONObject([("order", "SO-1"), ("reason", "duplicate")]))
  }

  @Test func currentVersionIsLeftAlone() throws {
    let v2 = try jsonObject(#"{"order":"SO-1","reason":"duplicate"}"#)
    #expect(try upcaster.upcast(type: "OrderCancelled", v: 2, data: v2) == v2)
    #expect(try upcaster.upcast(type: "Shipped", v: 1, data: v2) == v2)
  }

  @Test func stepsRunInVersionOrder() throws {
    let u = Upcaster(steps: ["StockAdjusted": [1: appendA, 2: appendB]])
    #expect(try u.upcast(type: "StockAdjusted", v: 1, data: JSONObject())["trail"] == "ab")
    #expect(try u.upcast(type: "StockAdjusted", v: 2, data: JSONObject())["trail"] == "b")
    #expect(try u.upcast(type: "StockAdjusted", v: 3, data: JSONObject())["trail"] == nil)
  }

  @Test func missingStepIsAnErrorNamingV() throws {
    do {
      _ = try upcaster.upcast(type: "OrderCancelled", v: 0, data: JSONObject())
      Issue.record("upcast from a version with no step")
    } catch {
      #expect(error.field == "v")
      #expect(error.message.contains("version 0"))
      #expect(error.message.contains("OrderCancelled"))
    }
  }

  @Test func aStepsOwnErrorIsPassedOn() throws {
    let u = Upcaster(steps: ["OrderCancelled": [1: refuse]])
    do {
      _ = try u.upcast(type: "OrderCancelled", v: 1, data: JSONObject())
      Issue.record("step error swallowed")
    } catch {
      #expect(error == EventInputError(field: "data.why", "cannot be upcast"))
    }
  }

  @Test func readerDefaultsToTheCurrentVersionAndChecksTheCurrentShape() throws {
    let r = EventRecordReader(moneyDigits: 2, upcaster: upcaster)
    let current = try r.newEvent(Array(
      #"{"type":"OrderCancelled","at":"2026-11-03","data":{"order":"SO-1","reason":"dup"}}"#.utf8))
    #expect(current.v == 2)

    // An old version is checked after upcasting but stored as written.
    let old = try r.newEvent(Array(
      #"{"type":"OrderCancelled","at":"2026-11-03","v":1,"data":{"order":"SO-1","why":"dup"}}"#.utf8))
    #expect(old.v == 1)
    #expect(old.data == JSONObject([("order", "SO-1"), ("why", "dup")]))

    // Old data missing what the current shape needs is refused under the current path.
    let e = try #require(coreNewEventError(
      #"{"type":"OrderCancelled","at":"2026-11-03","v":1,"data":{"order":"SO-1"}}"#, reader: r))
    #expect(e.field == "data.reason")

    // Version 1 written in the version 2 shape: the rename step finds no `why`, so `reason` is lost.
    let e2 = try #require(coreNewEventError(
      #"{"type":"OrderCancelled","at":"2026-11-03","v":1,"data":{"order":"SO-1","reason":"dup"}}"#, reader: r))
    #expect(e2.field == "data.reason")

    let e3 = try #require(coreNewEventError(
      #"{"type":"OrderCancelled","at":"2026-11-03","v":3,"data":{"order":"SO-1","reason":"dup"}}"#, reader: r))
    #expect(e3.field == "v")
    #expect(e3.message.contains("from 1 to 2"))
  }

  /// `isIdentity(at:)` (the shortcut `SalesEvent(primary:digits:)` takes) only where `upcast`
  /// gives the data back as it is, for every type and version around the schemas' ones.
  @Test func identityOnlyWhereUpcastChangesNothing() throws {
    let data = JSONObject([("order", "SO-1"), ("why", "dup")])
    let types = EventCatalog.schemas.map(\.type) + ["NoSuchEvent"]
    for u in [Upcaster.standard, upcaster, Upcaster(steps: ["Shipped": [:]])] {
      for v in -1...4 where u.isIdentity(at: v) {
        for type in types {
          #expect((try? u.upcast(type: type, v: v, data: data)) == data, "\(type) v\(v)")
        }
      }
    }
    #expect(Upcaster.standard.isIdentity(at: 1))
    #expect(!Upcaster.standard.isIdentity(at: 0))
    #expect(!upcaster.isIdentity(at: 2))
    // A typed decode through the shortcut is the decode of the upcast data.
    let e = NewEvent(type: "OrderCancelled", at: .date(CivilDate(year: 2026, month: 11, day: 3)!), v: 1,
      data: JSONObject([("order", "SO-1"), ("reason", "dup")]))
    let upcast = try Upcaster.standard.upcast(type: e.type, v: e.v, data: e.data)
    #expect(try SalesEvent(primary: e, digits: 2) == SalesEvent(type: e.type, data: upcast, digits: 2))
    let old = NewEvent(type: "OrderCancelled", at: e.at, v: 0, data: e.data)
    #expect(throws: EventInputError.self) { try SalesEvent(primary: old, digits: 2) }
  }
}
