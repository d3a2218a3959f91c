import ERPCore
import ERPStore
import Testing

/// A valid `OrderConfirmed` data object with one member replaced (or removed when `value` is nil).
private func order(replacing path: String? = nil, with value: String? = nil) -> String {
  var top: [String: String] = [
    "order": #""SO-1001""#, "customer": #""C-88""#, "rep": #""R-7""#,
    "lines": #"[{"sku":"A1","qty":2,"unit_price":"1299.50"},{"sku":"B2","qty":1,"unit_price":"5"}]"#,
  ]
  if let path { top[path] = value }
  return "{" + top.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
}

/// A valid `OrderConfirmed` data object whose first line is `line`.
private func orderWithLine(_ line: String) -> String {
  order(replacing: "lines", with: "[\(line)]")
}

@Suite("EventCatalog.check")
struct EventCatalogTests {
  struct Refusal: Sendable, CustomTestStringConvertible {
    var type: String
    var data: String
    var field: String
    var message: String = ""
    var testDescription: String { "\(type) \(field): \(data)" }
  }

  static let refusals: [Refusal] = [
    // Missing required fields, at the top and inside lines.
    Refusal(type: "OrderConfirmed", data: order(replacing: "customer"), field: "data.customer", message: "is required"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "customer", with: "null"), field: "data.customer", message: "is required"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "lines"), field: "data.lines", message: "is required"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","unit_price":"1"}"#), field: "data.lines[0].qty", message: "is required"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"qty":1,"unit_price":"1"}"#), field: "data.lines[0].sku", message: "is required"),
    Refusal(type: "Shipped", data: #"{"order":"SO-1","lines":[{"sku":"A1","qty":1}]}"#, field: "data.shipment", message: "is required"),
    Refusal(type: "PaymentReceived", data: #"{"payment":"P-1","customer":"C-1"}"#, field: "data.amount", message: "is required"),
    // Unknown fields.
    Refusal(type: "OrderConfirmed", data: order(replacing: "colour", with: #""red""#), field: "data.colour", message: "unknown field"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "lines", with: #"[{"sku":"A1","qty":1,"unit_price":"1"},{"sku":"B","qty":1,"unit_price":"1","price":"1"}]"#), field: "data.lines[1].price", message: "unknown field"),
    Refusal(type: "OrderCancelled", data: #"{"order":"SO-1","reason":"x","Reason":"y"}"#, field: "data.Reason", message: "unknown field"),
    // Wrong JSON kinds.
    Refusal(type: "OrderConfirmed", data: order(replacing: "customer", with: "88"), field: "data.customer", message: "expected a non-empty identifier, got 88"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "customer", with: #""""#), field: "data.customer", message: "non-empty"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":"2","unit_price":"1"}"#), field: "data.lines[0].qty", message: "expected a positive integer, got \"2\""),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":2,"unit_price":12}"#), field: "data.lines[0].unit_price", message: "decimal string"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "lines", with: "{}"), field: "data.lines", message: "expected an array of lines"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "lines", with: "[5]"), field: "data.lines[0]", message: "expected an object, got 5"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "allow_backorder", with: #""yes""#), field: "data.allow_backorder", message: "true or false"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "payment_terms_days", with: #""30""#), field: "data.payment_terms_days", message: "an integer"),
    Refusal(type: "CustomerRegistered", data: #"{"customer":"C-1","name":["A"],"region":"N","channel":"web"}"#, field: "data.name", message: "expected a string, got an array"),
    // Money: negative, too many decimals, malformed.
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":2,"unit_price":"-1"}"#), field: "data.lines[0].unit_price", message: "must not be negative"),
    Refusal(type: "PaymentReceived", data: #"{"payment":"P-1","customer":"C-1","amount":"-5.00"}"#, field: "data.amount", message: "must not be negative"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":2,"unit_price":"1.005"}"#), field: "data.lines[0].unit_price", message: "more than 2 decimal places"),
    Refusal(type: "StockReceived", data: #"{"sku":"A1","qty":5,"unit_cost":"1,000.00"}"#, field: "data.unit_cost", message: "not a decimal amount"),
    Refusal(type: "Shipped", data: #"{"order":"SO-1","shipment":"S-1","lines":[{"sku":"A1","qty":1}],"freight_cost":"1e3"}"#, field: "data.freight_cost", message: "not a decimal amount"),
    // Quantities.
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":0,"unit_price":"1"}"#), field: "data.lines[0].qty", message: "positive"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":-3,"unit_price":"1"}"#), field: "data.lines[0].qty", message: "positive"),
    Refusal(type: "StockReceived", data: #"{"sku":"A1","qty":0,"unit_cost":"1"}"#, field: "data.qty", message: "positive"),
    Refusal(type: "Shipped", data: #"{"order":"SO-1","shipment":"S-1","lines":[{"sku":"A1","qty":1},{"sku":"B2","qty":-1}]}"#, field: "data.lines[1].qty", message: "positive"),
    Refusal(type: "StockAdjusted", data: #"{"sku":"A1","qty":0,"reason":"count"}"#, field: "data.qty", message: "must not be zero"),
    Refusal(type: "StockAdjusted", data: #"{"sku":"A1","qty":"-3","reason":"count"}"#, field: "data.qty", message: "non-zero integer"),
    Refusal(type: "StockReceived", data: #"{"sku":"A1","qty":1000000001,"unit_cost":"1"}"#, field: "data.qty", message: "too large"),
    // Rates.
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":2,"unit_price":"1","discount":"1.5"}"#), field: "data.lines[0].discount", message: "between 0 and 1"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":2,"unit_price":"1","discount":"-0.1"}"#), field: "data.lines[0].discount", message: "between 0 and 1"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":2,"unit_price":"1","discount":"1.000001"}"#), field: "data.lines[0].discount", message: "between 0 and 1"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":2,"unit_price":"1","discount":"10%"}"#), field: "data.lines[0].discount", message: "between 0 and 1"),
    Refusal(type: "OrderConfirmed", data: orderWithLine(#"{"sku":"A1","qty":2,"unit_price":"1","discount":0}"#), field: "data.lines[0].discount", message: "decimal string rate"),
    Refusal(type: "RepRegistered", data: #"{"rep":"R-1","name":"Li","team":"East","region":"N","commission_rate":"2"}"#, field: "data.commission_rate", message: "between 0 and 1"),
    // Dates and periods.
    Refusal(type: "PurchaseOrderPlaced", data: #"{"po":"PO-1","sku":"A1","qty":5,"expected":"2026-02-30"}"#, field: "data.expected", message: "a date YYYY-MM-DD"),
    Refusal(type: "PurchaseOrderPlaced", data: #"{"po":"PO-1","sku":"A1","qty":5,"expected":"2026-12-01T00:00:00Z"}"#, field: "data.expected", message: "a date YYYY-MM-DD"),
    Refusal(type: "TargetSet", data: #"{"scope":"company","metric":"revenue","period":"2026-Q5","value":"100"}"#, field: "data.period", message: "a period"),
    Refusal(type: "CampaignCostRecorded", data: #"{"channel":"web","period":"2025-W53","amount":"10"}"#, field: "data.period", message: "a period"),
    // Enumerations.
    Refusal(type: "TargetSet", data: #"{"scope":"division","metric":"revenue","period":"2026","value":"100"}"#, field: "data.scope", message: "one of company, team, region, rep"),
    Refusal(type: "LeadStageChanged", data: #"{"lead":"L-1","stage":"Won"}"#, field: "data.stage", message: "one of new, contacted"),
    Refusal(type: "ActivityLogged", data: #"{"rep":"R-1","kind":"fax"}"#, field: "data.kind", message: "one of call, visit, email, meeting"),
    Refusal(type: "OrderCostRecorded", data: #"{"order":"SO-1","kind":"tax","amount":"1"}"#, field: "data.kind", message: "one of production"),
    // Integer ranges.
    Refusal(type: "ServiceCaseClosed", data: #"{"case":"K-1","satisfaction":0}"#, field: "data.satisfaction", message: "out of range 1...5"),
    Refusal(type: "ServiceCaseClosed", data: #"{"case":"K-1","satisfaction":6}"#, field: "data.satisfaction", message: "out of range 1...5"),
    Refusal(type: "OrderConfirmed", data: order(replacing: "payment_terms_days", with: "3651"), field: "data.payment_terms_days", message: "out of range"),
    // Amounts (TargetSet value).
    Refusal(type: "TargetSet", data: #"{"scope":"company","metric":"orders","period":"2026","value":-1}"#, field: "data.value", message: "must not be negative"),
    Refusal(type: "TargetSet", data: #"{"scope":"company","metric":"revenue","period":"2026","value":"-1"}"#, field: "data.value", message: "non-negative"),
    Refusal(type: "TargetSet", data: #"{"scope":"company","metric":"revenue","period":"2026","value":true}"#, field: "data.value", message: "non-negative"),
    // Empty lines.
    Refusal(type: "OrderConfirmed", data: order(replacing: "lines", with: "[]"), field: "data.lines", message: "at least one line"),
    Refusal(type: "QuoteIssued", data: #"{"quote":"Q-1","customer":"C-1","lines":[]}"#, field: "data.lines", message: "at least one line"),
    // Identifiers and text.
    Refusal(type: "OrderCancelled", data: #"{"order":"SO\n1","reason":"x"}"#, field: "data.order", message: "control character"),
    Refusal(type: "OrderCancelled", data: #"{"order":"SO-1","reason":"a\u0001b"}"#, field: "data.reason", message: "control character"),
    Refusal(type: "OrderCancelled", data: #"{"order":"SO-1","reason":"a\u007fb"}"#, field: "data.reason", message: "control character"),
    Refusal(type: "OrderCancelled", data: "{\"order\":\"\(String(repeating: "x", count: 201))\",\"reason\":\"x\"}", field: "data.order", message: "longer than 200 bytes"),
    // Store-written fields in user input (SPEC 7).
    Refusal(type: "Shipped", data: #"{"order":"SO-1","shipment":"S-1","lines":[{"sku":"A1","qty":1,"cogs":"3.00"}]}"#, field: "data.lines[0].cogs", message: "written by the store"),
    Refusal(type: "ReturnReceived", data: #"{"order":"SO-1","sku":"A1","qty":1,"reason":"broken","cogs":"3.00"}"#, field: "data.cogs", message: "written by the store"),
  ]

  @Test(arguments: refusals)
  func refusalNamesTheField(_ r: Refusal) throws {
    let e = try #require(try catalogError(r.type, r.data))
    #expect(e.field == r.field)
    #expect(e.message.contains(r.message), "message: \(e.message)")
    #expect(e.description == "field '\(r.field)': \(e.message)")
  }

  @Test func validOrderIsAcceptedAndMoneyNormalised() throws {
    let data = try jsonObject(
      #"{"order":"SO-1001","customer":"C-88","rep":"R-7","allow_backorder":true,"payment_terms_days":45,"lines":[{"sku":"A1","qty":2,"unit_price":"5","discount":"0.10"},{"sku":"B2","qty":1,"unit_price":"12.5"}]}"#
    )
    let out = try EventCatalog.check(type: "OrderConfirmed", data: data, moneyDigits: 2)
    let lines = try #require(out["lines"]?.arrayValue)
    #expect(lines[0].objectValue?["unit_price"] == .string("5.00"))
    #expect(lines[1].objectValue?["unit_price"] == .string("12.50"))
    // Rates are kept as written; only money is normalised.
    #expect(lines[0].objectValue?["discount"] == .string("0.10"))
    #expect(out["allow_backorder"] == .bool(true))
    #expect(out["payment_terms_days"] == .int(45))
    #expect(out["order"] == .string("SO-1001"))
    #expect(CanonicalJSON.string(.object(out))
      == #"{"allow_backorder":true,"customer":"C-88","lines":[{"discount":"0.10","qty":2,"sku":"A1","unit_price":"5.00"},{"qty":1,"sku":"B2","unit_price":"12.50"}],"order":"SO-1001","payment_terms_days":45,"rep":"R-7"}"#)
  }

  @Test(arguments: [
    (0, "5", "5"), (2, "5", "5.00"), (2, "12.5", "12.50"), (2, "0", "0.00"), (2, "1299.50", "1299.50"),
    (3, "5", "5.000"), (3, "0.05", "0.050"),
  ])
  func moneyNormalisedToTheCurrencyDigits(_ digits: Int, _ written: String, _ stored: String) throws {
    let data = try jsonObject(#"{"payment":"P-1","customer":"C-1","amount":"\#(written)"}"#)
    let out = try EventCatalog.check(type: "PaymentReceived", data: data, moneyDigits: digits)
    #expect(out["amount"] == .string(stored))
  }

  @Test func tooManyDecimalsDependsOnTheCurrency() throws {
    #expect(try catalogError("PaymentReceived", #"{"payment":"P","customer":"C","amount":"1.5"}"#, digits: 0)?.field == "data.amount")
    #expect(try catalogError("PaymentReceived", #"{"payment":"P","customer":"C","amount":"1.005"}"#, digits: 3) == nil)
    #expect(try catalogError("PaymentReceived", #"{"payment":"P","customer":"C","amount":"1.0005"}"#, digits: 3)?.field == "data.amount")
  }

  @Test func zeroPricesAreAllowed() throws {
    // SPEC 7: zero prices are allowed, negative ones refused.
    #expect(try catalogError("OrderConfirmed", orderWithLine(#"{"sku":"A1","qty":1,"unit_price":"0"}"#)) == nil)
  }

  @Test func stockAdjustedAcceptsNegativeQuantities() throws {
    #expect(try catalogError("StockAdjusted", #"{"sku":"A1","qty":-3,"reason":"damaged"}"#) == nil)
    #expect(try catalogError("StockAdjusted", #"{"sku":"A1","qty":5,"reason":"found","unit_cost":"2"}"#) == nil)
    #expect(try catalogError("StockAdjusted", #"{"sku":"A1","qty":-1000000001,"reason":"x"}"#)?.field == "data.qty")
  }

  @Test func ratesAtTheBoundsAreAccepted() throws {
    for rate in ["0", "1", "0.10", "1.000000", "0.000001", "0.5"] {
      let data = orderWithLine(#"{"sku":"A1","qty":2,"unit_price":"1","discount":"\#(rate)"}"#)
      #expect(try catalogError("OrderConfirmed", data) == nil, "discount \(rate)")
    }
  }

  @Test func periodsAccepted() throws {
    for period in ["2026", "2026-Q4", "2026-11", "2026-W53", "2026-11-03"] {
      let data = #"{"channel":"web","period":"\#(period)","amount":"10"}"#
      #expect(try catalogError("CampaignCostRecorded", data) == nil, "\(period)")
    }
  }

  @Test func targetValueMayBeAnIntegerOrADecimalString() throws {
    for value in ["100", #""0.95""#, #""1000000.50""#, "0"] {
      let data = #"{"scope":"rep","id":"R-1","metric":"revenue","period":"2026","value":\#(value)}"#
      #expect(try catalogError("TargetSet", data) == nil, "\(value)")
    }
  }

  @Test func identifierLengthLimitIsInBytes() throws {
    let ok = String(repeating: "x", count: 200)
    #expect(try catalogError("OrderCancelled", #"{"order":"\#(ok)","reason":"x"}"#) == nil)
    // 67 × "€" is 201 bytes but only 67 characters.
    let wide = String(repeating: "€", count: 67)
    #expect(try catalogError("OrderCancelled", #"{"order":"\#(wide)","reason":"x"}"#)?.field == "data.order")
  }

  @Test func textMayHoldTabsAndNewlines() throws {
    #expect(try catalogError("OrderCancelled", #"{"order":"SO-1","reason":"line 1\nline 2\tend"}"#) == nil)
    #expect(try catalogError("OrderCancelled", #"{"order":"SO-1","reason":""}"#) == nil)
  }

  @Test func nullOptionalFieldsAreDropped() throws {
    let data = try jsonObject(#"{"customer":"C-1","name":"ACME","region":"N","channel":"web","tier":null}"#)
    let out = try EventCatalog.check(type: "CustomerRegistered", data: data, moneyDigits: 2)
    #expect(out["tier"] == nil)
    #expect(out.keys == ["channel", "customer", "name", "region"])
  }

  @Test func nullsAndNormalisedMoneyTogetherKeepEveryOtherMember() throws {
    // Members are replaced and removed by their place in the object: several of each, first,
    // between and last, must leave exactly the others.
    let data = try jsonObject(
      #"{"acquisition_cost":"7","channel":"web","customer":"C-1","name":"ACME","region":null,"tier":null}"#)
    #expect(try catalogError("CustomerRegistered", CanonicalJSON.string(.object(data)))?.field == "data.region")
    let product = try jsonObject(
      #"{"lead_time_days":null,"line":"L","list_price":"1.5","name":"P","pack_size":null,"sku":"A1","unit_cost":"2"}"#)
    let out = try EventCatalog.check(type: "ProductDefined", data: product, moneyDigits: 2)
    #expect(CanonicalJSON.string(.object(out))
      == #"{"line":"L","list_price":"1.50","name":"P","sku":"A1","unit_cost":"2.00"}"#)
    let order = try jsonObject(
      #"{"customer":"C-1","lines":[{"qty":1,"sku":"A","unit_price":"1.00"},{"discount":null,"qty":2,"sku":"B","unit_price":"3"}],"order":"SO-1","promotion":null,"rep":"R-1"}"#)
    let checked = try EventCatalog.check(type: "OrderConfirmed", data: order, moneyDigits: 2)
    #expect(CanonicalJSON.string(.object(checked))
      == #"{"customer":"C-1","lines":[{"qty":1,"sku":"A","unit_price":"1.00"},{"qty":2,"sku":"B","unit_price":"3.00"}],"order":"SO-1","rep":"R-1"}"#)
  }

  @Test func storeWrittenCogsIsAcceptedFromTheStore() throws {
    let shipped = try jsonObject(
      #"{"order":"SO-1","shipment":"S-1","lines":[{"sku":"A1","qty":1,"cogs":"3"},{"sku":"B2","qty":2}]}"#)
    let out = try EventCatalog.check(type: "Shipped", data: shipped, moneyDigits: 2, storeInput: true)
    let lines = try #require(out["lines"]?.arrayValue)
    #expect(lines[0].objectValue?["cogs"] == .string("3.00"))
    #expect(lines[1].objectValue?["cogs"] == nil)

    let ret = try jsonObject(#"{"order":"SO-1","sku":"A1","qty":1,"reason":"broken","cogs":"7.5"}"#)
    let out2 = try EventCatalog.check(type: "ReturnReceived", data: ret, moneyDigits: 2, storeInput: true)
    #expect(out2["cogs"] == .string("7.50"))

    // Still checked like any money field.
    let e = try #require(
      try catalogError(
        "ReturnReceived", #"{"order":"SO-1","sku":"A1","qty":1,"reason":"x","cogs":"-1"}"#,
        storeInput: true))
    #expect(e.field == "data.cogs")
  }

  @Test func storeInputStillRefusesUnknownFields() throws {
    let e = try #require(
      try catalogError("Shipped", #"{"order":"SO-1","shipment":"S-1","lines":[{"sku":"A1","qty":1}],"x":1}"#, storeInput: true))
    #expect(e.field == "data.x")
  }

  @Test func unknownTypeSuggestsTheRightCase() throws {
    let e = try #require(try catalogError("orderconfirmed", "{}"))
    #expect(e.field == "type")
    #expect(e.message.contains("unknown event type 'orderconfirmed'"))
    #expect(e.message.contains("did you mean 'OrderConfirmed'?"))
    let e2 = try #require(try catalogError("SHIPPED", "{}"))
    #expect(e2.message.contains("did you mean 'Shipped'?"))
    let e3 = try #require(try catalogError("Teleported", "{}"))
    #expect(e3.field == "type")
    #expect(!e3.message.contains("did you mean"))
  }

  @Test func everySpecEventHasASchema() throws {
    let primary = [
      "CustomerRegistered", "ProductDefined", "RepRegistered", "TargetSet", "AlertRuleSet",
      "CampaignCostRecorded",
      "LeadCreated", "LeadStageChanged", "ActivityLogged", "QuoteIssued", "OrderConfirmed",
      "OrderCancelled", "Shipped", "StockReceived", "StockAdjusted", "PurchaseOrderPlaced",
      "ReturnReceived", "PaymentReceived", "PaymentMatched", "OrderCostRecorded",
      "ServiceCaseOpened", "ServiceCaseClosed",
    ]
    let derived = ["StockReserved", "ReservationReleased", "InvoiceIssued", "CreditNoteIssued"]
    for t in primary {
      let s = try #require(EventCatalog.schema(for: t), "\(t)")
      #expect(!s.derived, "\(t)")
      #expect(s.version == 1)
    }
    for t in derived {
      let s = try #require(EventCatalog.schema(for: t), "\(t)")
      #expect(s.derived, "\(t)")
    }
    #expect(EventCatalog.schemas.count == primary.count + derived.count)
    #expect(EventCatalog.schema(for: "orderconfirmed") == nil)
  }

  @Test func minimalEventsOfEveryKindAreAccepted() throws {
    let samples: [(String, String)] = [
      ("CustomerRegistered", #"{"customer":"C-1","name":"ACME","region":"N","channel":"web","acquisition_cost":"120"}"#),
      ("ProductDefined", #"{"sku":"A1","name":"Widget","line":"W","list_price":"9.90","lead_time_days":14,"pack_size":6}"#),
      ("LeadCreated", #"{"lead":"L-1","source":"fair","rep":"R-1","estimated_value":"5000"}"#),
      ("LeadStageChanged", #"{"lead":"L-1","stage":"lost","reason":"price"}"#),
      ("QuoteIssued", #"{"quote":"Q-1","customer":"C-1","lines":[{"sku":"A1","qty":1,"unit_price":"9.90"}]}"#),
      ("StockReserved", #"{"order":"SO-1","sku":"A1","qty":2}"#),
      ("InvoiceIssued", #"{"invoice":"I-1","order":"SO-1","customer":"C-1","amount":"19.80","due":"2026-12-03"}"#),
      ("PaymentMatched", #"{"payment":"P-1","invoice":"I-1","amount":"19.80"}"#),
      ("CreditNoteIssued", #"{"credit_note":"CN-1","order":"SO-1","customer":"C-1","amount":"9.90"}"#),
      ("ServiceCaseOpened", #"{"case":"K-1","customer":"C-1","kind":"repair","text":"noisy"}"#),
      ("ServiceCaseClosed", #"{"case":"K-1","satisfaction":5}"#),
    ]
    for (type, data) in samples {
      #expect(try catalogError(type, data) == nil, "\(type)")
    }
  }
}

@Suite("EventCatalog.hasStoreWrittenFields")
struct StoreWrittenFieldsTests {
  /// SPEC 7: the store writes `cogs` into each line of a `Shipped` and into a `ReturnReceived`;
  /// into nothing else.
  @Test func onlyShippedAndReturnReceived() {
    let writing = EventCatalog.schemas.map(\.type).filter(EventCatalog.hasStoreWrittenFields)
    #expect(Set(writing) == ["Shipped", "ReturnReceived"])
    #expect(!EventCatalog.hasStoreWrittenFields("NoSuchEvent"))
  }
}
