import ERPCore
import ERPStore
import ERPTestSupport
import Foundation
import Testing

/// What reading a CSV file gives: its records, then the file-level error that stopped it.
struct CSVRead: Equatable {
  var records: [CSVRecord]
  var error: CSVError?

  var events: [NewEvent] { records.compactMap { try? $0.event.get() } }

  /// `line: description` of every refused record.
  var failures: [String] {
    records.compactMap { r in
      if case .failure(let e) = r.event { return "\(r.line): \(e)" }
      return nil
    }
  }
}

func csvRead(_ type: String, bytes: [UInt8], chunk: Int = 0) throws -> CSVRead {
  var reader = try CSVEventReader(type: type, moneyDigits: 2)
  var records: [CSVRecord] = []
  do {
    if chunk == 0 {
      try reader.feed(bytes[...]) { records.append($0) }
    } else {
      var i = 0
      while i < bytes.count {
        try reader.feed(bytes[i..<min(i + chunk, bytes.count)]) { records.append($0) }
        i += chunk
      }
    }
    try reader.finish { records.append($0) }
    return CSVRead(records: records, error: nil)
  } catch let error as CSVError {
    return CSVRead(records: records, error: error)
  }
}

func csvRead(_ type: String, _ text: String, chunk: Int = 0) throws -> CSVRead {
  try csvRead(type, bytes: Array(text.utf8), chunk: chunk)
}

func csvFixture(_ type: String, _ name: String) throws -> CSVRead {
  try csvRead(type, bytes: try Fixtures.bytes("csv/\(name)"))
}

private func jsonlEvent(_ line: String) throws -> NewEvent {
  try coreReader.newEvent(Array(line.utf8))
}

@Suite("CSVEventReader: types and headers")
struct CSVHeaderTests {
  @Test func unknownTypeListsThePrimaryTypes() {
    #expect(throws: EventInputError(
      field: nil,
      "unknown event type 'orderconfirmed' (did you mean 'OrderConfirmed'?); CSV import takes one of: \(CSVLayout.primaryTypes.joined(separator: ", "))"
    )) { _ = try CSVEventReader(type: "orderconfirmed", moneyDigits: 2) }
    #expect(CSVLayout.primaryTypes.count == 22)
    #expect(!CSVLayout.primaryTypes.contains("InvoiceIssued"))
  }

  @Test(arguments: ["StockReserved", "ReservationReleased", "InvoiceIssued", "CreditNoteIssued"])
  func derivedTypeIsRefusedWithAHint(_ type: String) {
    #expect(throws: EventInputError(
      field: nil,
      "\(type) is derived by the store from a primary event and cannot be imported; to load a whole export use 'erpctl restore'"
    )) { _ = try CSVEventReader(type: type, moneyDigits: 2) }
  }

  @Test(arguments: CSVLayout.primaryTypes)
  func everyPrimaryTypeHasALayoutWithDistinctColumns(_ type: String) throws {
    let layout = try CSVLayout(type: type)
    let names = layout.columns.map(\.name)
    #expect(Set(names).count == names.count)
    #expect(Array(names.prefix(3)) == ["at", "key", "v"])
    #expect(layout.column("at")?.required == true)
    #expect((layout.groupBy != nil) == (layout.linesField != nil))
  }

  @Test func groupingColumns() throws {
    #expect(try CSVLayout(type: "OrderConfirmed").groupBy == "order")
    #expect(try CSVLayout(type: "Shipped").groupBy == "shipment")
    #expect(try CSVLayout(type: "QuoteIssued").groupBy == "quote")
    #expect(try CSVLayout(type: "PaymentReceived").groupBy == nil)
    #expect(
      try CSVLayout(type: "OrderConfirmed").columns.filter { $0.role == .lineField }.map(\.name)
        == ["sku", "qty", "unit_price", "discount"])
    #expect(try CSVLayout(type: "Shipped").columns.filter { $0.role == .lineField }.map(\.name) == ["sku", "qty"])
  }

  struct HeaderCase: Sendable, CustomTestStringConvertible {
    var type: String
    var csv: String
    var line: Int
    var message: String
    var testDescription: String { message }
  }

  static let payments = "PaymentReceived takes: at, key, v, payment, customer, amount, method"

  @Test(arguments: [
    HeaderCase(
      type: "PaymentReceived", csv: "at,payment,customer,amount,methd\n", line: 1,
      message: "unknown column 'methd'; \(payments)"),
    HeaderCase(
      type: "PaymentReceived", csv: "at,payment,customer,Amount\n", line: 1,
      message: "unknown column 'Amount' (did you mean 'amount'?); \(payments)"),
    HeaderCase(
      type: "PaymentReceived", csv: "type,at,payment,customer,amount\n", line: 1,
      message: "unknown column 'type': a CSV file holds one event type, given by --type (PaymentReceived here); \(payments)"),
    HeaderCase(
      type: "PaymentReceived", csv: "at,payment,customer,amount,customer\n", line: 1,
      message: "column 'customer' appears twice (columns 3 and 5)"),
    HeaderCase(
      type: "PaymentReceived", csv: "payment,amount\nP-1,5\n", line: 1,
      message: "missing required columns 'at', 'customer'"),
    HeaderCase(
      type: "PaymentReceived", csv: "at,payment,amount", line: 1,
      message: "missing required column 'customer'"),
    HeaderCase(
      type: "PaymentReceived", csv: "at,,payment,customer,amount\n", line: 1,
      message: "column 2 has no name"),
    HeaderCase(
      type: "PaymentReceived", csv: "\r\n\nat,payment,customer,amount, method\n", line: 3,
      message: "unknown column ' method'; \(payments)"),
    HeaderCase(
      type: "Shipped", csv: "at,order,shipment,sku,qty,cogs\n", line: 1,
      message: "column 'cogs' is written by the store and cannot be supplied"),
    HeaderCase(
      type: "ReturnReceived", csv: "at,order,sku,qty,reason,cogs\n", line: 1,
      message: "column 'cogs' is written by the store and cannot be supplied"),
    HeaderCase(
      type: "OrderConfirmed", csv: "at,order,customer,rep,sku,qty\n", line: 1,
      message: "missing required column 'unit_price'"),
    HeaderCase(
      type: "PaymentReceived", csv: "", line: 1,
      message: "empty file: expected a header row naming the columns"),
    HeaderCase(
      type: "PaymentReceived", csv: "\u{FEFF}\r\n\n", line: 1,
      message: "empty file: expected a header row naming the columns"),
  ])
  func badHeader(_ c: HeaderCase) throws {
    let r = try csvRead(c.type, c.csv)
    #expect(r.records == [])
    #expect(r.error == CSVError(line: c.line, c.message))
  }

  @Test func headerOnlyGivesNoRecords() throws {
    let r = try csvRead("PaymentReceived", "at,payment,customer,amount\r\n")
    #expect(r == CSVRead(records: [], error: nil))
  }

  @Test func columnsInAnyOrder() throws {
    let r = try csvRead("PaymentReceived", "amount,customer,at,payment\n5,C-1,2026-11-03,P-1\n")
    #expect(r.events == [
      NewEvent(
        type: "PaymentReceived", at: .date(CivilDate(year: 2026, month: 11, day: 3)!),
        data: JSONObject([("payment", "P-1"), ("customer", "C-1"), ("amount", "5.00")]))
    ])
  }
}

@Suite("CSVEventReader: cells")
struct CSVCellTests {
  struct CellCase: Sendable, CustomTestStringConvertible {
    var type: String
    var header: String
    var row: String
    var error: String
    var testDescription: String { "\(type) \(row)" }
  }

  static let received = "at,sku,qty,unit_cost"

  @Test(arguments: [
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,1.5,2",
      error: #"field 'qty': expected a positive integer, got "1.5""#),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,1e3,2",
      error: #"field 'qty': expected a positive integer, got "1e3""#),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1, 3,2",
      error: #"field 'qty': expected a positive integer, got " 3""#),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,+3,2",
      error: #"field 'qty': expected a positive integer, got "+3""#),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,-,2",
      error: #"field 'qty': expected a positive integer, got "-""#),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,-3,2",
      error: "field 'qty': must be a positive integer, got -3"),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,0,2",
      error: "field 'qty': must be a positive integer, got 0"),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,2000000000,2",
      error: "field 'qty': 2000000000 is too large"),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,99999999999999999999,2",
      error: "field 'qty': 99999999999999999999 is too large"),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,3,12.345",
      error: "field 'unit_cost': '12.345' has more than 2 decimal places"),
    CellCase(type: "StockReceived", header: received, row: #"2026-11-03,A1,3,"1,299.50""#,
      error: #"field 'unit_cost': '1,299.50' is not a decimal amount (write e.g. "1299.50")"#),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,3,-2",
      error: "field 'unit_cost': must not be negative"),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,3,",
      error: "field 'unit_cost': is required"),
    CellCase(type: "StockReceived", header: received, row: ",A1,3,2",
      error: "field 'at': is required"),
    CellCase(type: "StockReceived", header: received, row: "2026/11/03,A1,3,2",
      error: #"field 'at': expected an RFC 3339 time with offset (2026-11-03T10:15:00+08:00) or a date (2026-11-03), got "2026/11/03""#),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A\tB,3,2",
      error: "field 'sku': contains a control character"),
    CellCase(type: "StockReceived", header: received + ",v", row: "2026-11-03,A1,3,2,2",
      error: "field 'v': expected a version from 1 to 1 for StockReceived, got 2"),
    CellCase(type: "StockReceived", header: received + ",v", row: "2026-11-03,A1,3,2,one",
      error: #"field 'v': expected a version from 1 to 1 for StockReceived, got "one""#),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,3",
      error: "expected 4 fields as in the header, got 3"),
    CellCase(type: "StockReceived", header: received, row: "2026-11-03,A1,3,2,",
      error: "expected 4 fields as in the header, got 5"),
    CellCase(type: "StockAdjusted", header: "at,sku,qty,reason", row: "2026-11-03,A1,0,count",
      error: "field 'qty': must not be zero"),
    CellCase(type: "StockAdjusted", header: "at,sku,qty,reason", row: "2026-11-03,A1,-1.0,count",
      error: #"field 'qty': expected a non-zero integer, got "-1.0""#),
    CellCase(type: "ServiceCaseClosed", header: "at,case,satisfaction", row: "2026-11-03,K-1,6",
      error: "field 'satisfaction': 6 is out of range 1...5"),
    CellCase(type: "ServiceCaseClosed", header: "at,case,satisfaction", row: "2026-11-03,K-1,four",
      error: #"field 'satisfaction': expected an integer, got "four""#),
    CellCase(type: "OrderConfirmed", header: "at,order,customer,rep,allow_backorder,sku,qty,unit_price",
      row: "2026-11-03,SO-1,C-1,R-1,yes,A1,1,2", error: #"field 'allow_backorder': expected true or false, got "yes""#),
    CellCase(type: "OrderConfirmed", header: "at,order,customer,rep,allow_backorder,sku,qty,unit_price",
      row: "2026-11-03,SO-1,C-1,R-1,1,A1,1,2", error: #"field 'allow_backorder': expected true or false, got "1""#),
    CellCase(type: "TargetSet", header: "at,scope,metric,period,value", row: "2026-11-03,company,profit,2026,5",
      error: #"field 'metric': expected one of revenue, gross_margin, collections, collection_rate, new_customers, orders, got "profit""#),
    CellCase(type: "TargetSet", header: "at,scope,metric,period,value", row: "2026-11-03,company,orders,2026-13,5",
      error: #"field 'period': expected a period such as 2026, 2026-Q4, 2026-11, 2026-W45 or 2026-11-03, got "2026-13""#),
    CellCase(type: "PurchaseOrderPlaced", header: "at,po,sku,qty,expected", row: "2026-11-03,PO-1,A1,5,2026-02-30",
      error: #"field 'expected': expected a date YYYY-MM-DD, got "2026-02-30""#),
  ])
  func refusedCell(_ c: CellCase) throws {
    let r = try csvRead(c.type, "\(c.header)\n\(c.row)\n")
    #expect(r.error == nil)
    #expect(r.failures == ["2: \(c.error)"])
    #expect(r.records.map(\.raw) == [c.row])
  }

  @Test func emptyOptionalCellsAreAbsent() throws {
    let r = try csvRead(
      "StockReceived", "at,sku,qty,unit_cost,po,key,v\n2026-11-03,A1,3,2,\"\",,\n")
    #expect(r.failures == [])
    #expect(r.events == [try jsonlEvent(#"{"type":"StockReceived","at":"2026-11-03","data":{"sku":"A1","qty":3,"unit_cost":"2.00"}}"#)])
  }

  @Test func keyAndVersionColumns() throws {
    let r = try csvRead(
      "StockReceived", "at,sku,qty,unit_cost,key,v\n2026-11-03T09:00:00Z,A1,3,2,grn:1,1\n")
    #expect(r.events.map(\.key) == ["grn:1"])
    #expect(r.events.map(\.v) == [1])
  }

  @Test func booleansTakeTrueAndFalseInAnyCase() throws {
    let header = "at,order,customer,rep,allow_backorder,sku,qty,unit_price\n"
    let r = try csvRead(
      "OrderConfirmed",
      header + "2026-11-03,SO-1,C-1,R-1,TRUE,A1,1,2\n2026-11-03,SO-2,C-1,R-1,False,A1,1,2\n2026-11-03,SO-3,C-1,R-1,true,A1,1,2\n")
    #expect(r.events.map { $0.data["allow_backorder"] } == [.bool(true), .bool(false), .bool(true)])
  }

  @Test func signedQuantityTakesANegativeInteger() throws {
    let r = try csvRead("StockAdjusted", "at,sku,qty,reason\n2026-11-03,A1,-3,breakage\n")
    #expect(r.events.map { $0.data["qty"] } == [.int(-3)])
  }

  @Test func rowsWithOnlyEmptyCellsAreSkipped() throws {
    let r = try csvRead(
      "PaymentReceived", "at,payment,customer,amount\n,,,\n2026-11-03,P-1,C-1,5\n,,\n\n2026-11-04,P-2,C-1,6\n,,,,,")
    #expect(r.failures == [])
    #expect(r.records.map(\.line) == [3, 6])
  }

  @Test func embeddedNewlinesKeepLineNumbers() throws {
    let r = try csvRead(
      "CustomerRegistered",
      "at,customer,name,region,channel\n2026-10-01,C-1,\"Line one\r\nline two\",east,direct\r\n2026-10-01,C-2,Solo,east,\r\n")
    #expect(r.records.map(\.line) == [2, 4])
    #expect(r.events.first?.data["name"] == "Line one\nline two")
    #expect(r.failures == ["4: field 'channel': is required"])
    #expect(r.records.first?.raw == "2026-10-01,C-1,\"Line one\r\nline two\",east,direct")
  }

  @Test func flatTypesStreamRowByRow() throws {
    var reader = try CSVEventReader(type: "PaymentReceived", moneyDigits: 2)
    var seen: [Int] = []
    try reader.feed(Array("at,payment,customer,amount\n2026-11-03,P-1,C-1,5\n2026-11-03,P-2".utf8)[...]) {
      seen.append($0.line)
    }
    #expect(seen == [2])
    try reader.finish { seen.append($0.line) }
    #expect(seen == [2, 3])
  }

  @Test func moneyDigitsOfTheStore() throws {
    var reader = try CSVEventReader(type: "PaymentReceived", moneyDigits: 0)
    var records: [CSVRecord] = []
    try reader.feed(Array("at,payment,customer,amount\n2026-11-03,P-1,C-1,500\n2026-11-03,P-2,C-1,5.5\n".utf8)[...]) {
      records.append($0)
    }
    try reader.finish { records.append($0) }
    #expect((try? records[0].event.get())?.data["amount"] == "500")
    #expect(records[1].event == .failure(EventInputError(field: "amount", "'5.5' has more than 0 decimal places")))
  }
}

@Suite("CSVEventReader: grouped lines")
struct CSVGroupTests {
  static let header = "order,at,key,customer,rep,region,sku,qty,unit_price,discount\n"

  @Test func interleavedOrdersGiveTheSameEventsAsJSONLines() throws {
    let csv = Self.header
      + "SO-1,2026-11-03T10:15:00+08:00,k1,C-1,R-1,east,A1,40,120,0.05\n"
      + "SO-2,2026-11-04,,C-2,R-1,,B2,1,45.5,\n"
      + "SO-1,2026-11-03T10:15:00+08:00,k1,C-1,R-1,east,B2,24,45.50,\n"
      + "\n"
      + "SO-3,2026-11-05,,C-1,R-1,east,\"A1\",\"2\",\"0\",\"\"\n"
      + "SO-2,2026-11-04,,C-2,R-1,,A1,3,100.00,0.10\n"
      + "SO-1,2026-11-03T10:15:00+08:00,k1,C-1,R-1,east,C3,1,9.9,\n"
    let jsonl = [
      #"{"type":"OrderConfirmed","at":"2026-11-03T10:15:00+08:00","key":"k1","data":{"order":"SO-1","customer":"C-1","rep":"R-1","region":"east","lines":[{"sku":"A1","qty":40,"unit_price":"120","discount":"0.05"},{"sku":"B2","qty":24,"unit_price":"45.50"},{"sku":"C3","qty":1,"unit_price":"9.9"}]}}"#,
      #"{"type":"OrderConfirmed","at":"2026-11-04","data":{"order":"SO-2","customer":"C-2","rep":"R-1","lines":[{"sku":"B2","qty":1,"unit_price":"45.5"},{"sku":"A1","qty":3,"unit_price":"100.00","discount":"0.10"}]}}"#,
      #"{"type":"OrderConfirmed","at":"2026-11-05","data":{"order":"SO-3","customer":"C-1","rep":"R-1","region":"east","lines":[{"sku":"A1","qty":2,"unit_price":"0"}]}}"#,
    ]
    let r = try csvRead("OrderConfirmed", csv)
    #expect(r.error == nil)
    #expect(r.failures == [])
    #expect(r.events == (try jsonl.map(jsonlEvent)))
    #expect(r.records.map(\.line) == [2, 3, 6])
    #expect(r.records[1].raw == "SO-2,2026-11-04,,C-2,R-1,,B2,1,45.5,\nSO-2,2026-11-04,,C-2,R-1,,A1,3,100.00,0.10")
    for size in [1, 3, 64] {
      #expect(try csvRead("OrderConfirmed", csv, chunk: size) == r, "chunks of \(size)")
    }
  }

  @Test func sharedColumnsMustAgree() throws {
    let r = try csvRead(
      "OrderConfirmed",
      Self.header
        + "SO-1,2026-11-03,,C-1,R-1,east,A1,1,1,\n"
        + "SO-2,2026-11-03,,C-1,R-1,east,A1,1,1,\n"
        + "SO-1,2026-11-03,,C-2,R-1,east,B2,1,1,\n"
        + "SO-1,2026-11-03,,C-1,R-1,,C3,1,1,\n"
        + "SO-2,2026-11-03,,C-1,R-1,,A1,1,1,\n")
    #expect(r.failures == [
      #"4: field 'customer': differs from line 2 of the same order ("C-2" here, "C-1" there)"#,
      #"6: field 'region': differs from line 3 of the same order ("" here, "east" there)"#,
    ])
    #expect(r.records.map(\.line) == [4, 6])
    #expect(r.records[0].raw.split(separator: "\n").count == 3)
  }

  @Test func aLineErrorNamesItsRow() throws {
    let r = try csvRead(
      "OrderConfirmed",
      Self.header
        + "SO-1,2026-11-03,,C-1,R-1,,A1,1,1,\n"
        + "SO-2,2026-11-03,,C-1,R-1,,A1,1,1,\n"
        + "SO-1,2026-11-03,,C-1,R-1,,B2,1,1,\n"
        + "SO-1,2026-11-03,,C-1,R-1,,C3,1.5,1,\n"
        + "SO-1,2026-11-03,,C-1,R-1,,,1,1,\n")
    #expect(r.failures == [
      #"5: field 'qty': expected a positive integer, got "1.5""#
    ])
    #expect(r.records.map(\.line) == [3, 5])
    let big = try csvRead(
      "OrderConfirmed", Self.header + "SO-1,2026-11-03,,C-1,R-1,,A1,1,1,\nSO-1,2026-11-03,,C-1,R-1,,A1,12345678901234567890,1,\n")
    #expect(big.failures == ["3: field 'qty': 12345678901234567890 is too large"])
  }

  @Test func aRowWithoutItsOrderStandsAlone() throws {
    let r = try csvRead(
      "OrderConfirmed",
      Self.header + "SO-1,2026-11-03,,C-1,R-1,,A1,1,1,\n,2026-11-03,,C-1,R-1,,A1,1,1,\n,2026-11-03,,C-1,R-1,,A1,1,1,\n")
    #expect(r.failures == ["3: field 'order': is required", "4: field 'order': is required"])
    #expect(r.records.map(\.line) == [2, 3, 4])
  }

  @Test func refusedRowsSortAmongTheOrders() throws {
    let r = try csvRead(
      "OrderConfirmed",
      Self.header + "SO-1,2026-11-03,,C-1,R-1,,A1,1,1,\nSO-2,bad\nSO-2,2026-11-03,,C-1,R-1,,A1,1,1,\nSO-1,2026-11-03,,C-1,R-1,,A1,1,1,\n")
    #expect(r.records.map(\.line) == [2, 3, 4])
    #expect(r.failures == ["3: expected 10 fields as in the header, got 2"])
  }

  @Test func shipmentsGroupByShipment() throws {
    let r = try csvRead(
      "Shipped",
      "shipment,order,at,carrier,sku,qty\n"
        + "SH-1,SO-1,2026-11-05,SF,A1,40\n"
        + "SH-2,SO-1,2026-11-06,SF,A1,5\n"
        + "SH-1,SO-1,2026-11-05,SF,B2,24\n"
        + "SH-3,SO-2,2026-11-06,,A1,1\n"
        + "SH-3,SO-9,2026-11-06,,B2,1\n")
    #expect(r.events == [
      try jsonlEvent(#"{"type":"Shipped","at":"2026-11-05","data":{"order":"SO-1","shipment":"SH-1","carrier":"SF","lines":[{"sku":"A1","qty":40},{"sku":"B2","qty":24}]}}"#),
      try jsonlEvent(#"{"type":"Shipped","at":"2026-11-06","data":{"order":"SO-1","shipment":"SH-2","carrier":"SF","lines":[{"sku":"A1","qty":5}]}}"#),
    ])
    #expect(r.failures == [#"6: field 'order': differs from line 5 of the same shipment ("SO-9" here, "SO-2" there)"#])
  }

  @Test func quotesGroupByQuote() throws {
    let r = try csvRead(
      "QuoteIssued",
      "quote,customer,at,sku,qty,unit_price,discount\nQ-1,C-1,2026-10-28,A1,40,120,0.05\nQ-1,C-1,2026-10-28,B2,1,45.50,\n")
    #expect(r.events == [
      try jsonlEvent(#"{"type":"QuoteIssued","at":"2026-10-28","data":{"quote":"Q-1","customer":"C-1","lines":[{"sku":"A1","qty":40,"unit_price":"120","discount":"0.05"},{"sku":"B2","qty":1,"unit_price":"45.50"}]}}"#)
    ])
  }
}

@Suite("CSVEventReader: one minimal file per primary type")
struct CSVPerTypeTests {
  struct TypeCase: Sendable, CustomTestStringConvertible {
    var type: String
    var csv: String
    var data: String
    var testDescription: String { type }
  }

  static let cases: [TypeCase] = [
    TypeCase(
      type: "CustomerRegistered", csv: "at,customer,name,region,channel,tier,acquisition_cost\n2026-10-01,C-1,\"Acme, Ltd.\",east,direct,,1200\n",
      data: #"{"customer":"C-1","name":"Acme, Ltd.","region":"east","channel":"direct","acquisition_cost":"1200.00"}"#),
    TypeCase(
      type: "ProductDefined", csv: "at,sku,name,line,list_price,unit_cost,lead_time_days,pack_size\n2026-10-01,A1,Widget,widgets,120,70.5,14,10\n",
      data: #"{"sku":"A1","name":"Widget","line":"widgets","list_price":"120.00","unit_cost":"70.50","lead_time_days":14,"pack_size":10}"#),
    TypeCase(
      type: "RepRegistered", csv: "at,rep,name,team,region,commission_rate\n2026-10-01,R-1,王芳,east-1,east,0.03\n",
      data: #"{"rep":"R-1","name":"王芳","team":"east-1","region":"east","commission_rate":"0.03"}"#),
    TypeCase(
      type: "TargetSet", csv: "at,scope,id,metric,period,value\n2026-10-01,rep,R-1,revenue,2026-11,50000.00\n",
      data: #"{"scope":"rep","id":"R-1","metric":"revenue","period":"2026-11","value":"50000.00"}"#),
    TypeCase(
      type: "AlertRuleSet", csv: "at,rule,enabled,days,amount,severity\n2026-10-01,overdue,false,45,500,critical\n",
      data: #"{"rule":"overdue","enabled":false,"days":45,"amount":"500.00","severity":"critical"}"#),
    TypeCase(
      type: "CampaignCostRecorded", csv: "at,channel,period,amount\n2026-11-30,online,2026-11,1500\n",
      data: #"{"channel":"online","period":"2026-11","amount":"1500.00"}"#),
    TypeCase(
      type: "LeadCreated", csv: "at,lead,source,rep,region,customer,company,estimated_value\n2026-10-22,L-7,trade-show,R-1,,,Foo GmbH,6000\n",
      data: #"{"lead":"L-7","source":"trade-show","rep":"R-1","company":"Foo GmbH","estimated_value":"6000.00"}"#),
    TypeCase(
      type: "LeadStageChanged", csv: "at,lead,stage,reason\n2026-10-24,L-7,lost,\"price too high, chose a rival\"\n",
      data: #"{"lead":"L-7","stage":"lost","reason":"price too high, chose a rival"}"#),
    TypeCase(
      type: "ActivityLogged", csv: "at,rep,kind,lead,customer\n2026-10-24,R-1,visit,L-7,\n",
      data: #"{"rep":"R-1","kind":"visit","lead":"L-7"}"#),
    TypeCase(
      type: "QuoteIssued", csv: "at,quote,lead,customer,sku,qty,unit_price,discount\n2026-10-28,Q-3,L-7,C-1,A1,40,120,0.05\n",
      data: #"{"quote":"Q-3","lead":"L-7","customer":"C-1","lines":[{"sku":"A1","qty":40,"unit_price":"120.00","discount":"0.05"}]}"#),
    TypeCase(
      type: "OrderConfirmed",
      csv: "at,order,customer,rep,channel,payment_terms_days,allow_backorder,sku,qty,unit_price\n2026-11-03,SO-1,C-1,R-1,direct,45,TRUE,A1,2,10\n",
      data: #"{"order":"SO-1","customer":"C-1","rep":"R-1","channel":"direct","payment_terms_days":45,"allow_backorder":true,"lines":[{"sku":"A1","qty":2,"unit_price":"10.00"}]}"#),
    TypeCase(
      type: "OrderCancelled", csv: "at,order,reason\n2026-11-04,SO-1,customer changed their mind\n",
      data: #"{"order":"SO-1","reason":"customer changed their mind"}"#),
    TypeCase(
      type: "Shipped", csv: "at,order,shipment,sku,qty,carrier,tracking,freight_cost\n2026-11-05,SO-1,SH-1,A1,2,SF,SF1,18\n",
      data: #"{"order":"SO-1","shipment":"SH-1","lines":[{"sku":"A1","qty":2}],"carrier":"SF","tracking":"SF1","freight_cost":"18.00"}"#),
    TypeCase(
      type: "StockReceived", csv: "at,sku,qty,unit_cost,po\n2026-10-20,A1,100,70,PO-1\n",
      data: #"{"sku":"A1","qty":100,"unit_cost":"70.00","po":"PO-1"}"#),
    TypeCase(
      type: "StockAdjusted", csv: "at,sku,qty,reason,unit_cost\n2026-10-21,A1,-2,breakage,\n",
      data: #"{"sku":"A1","qty":-2,"reason":"breakage"}"#),
    TypeCase(
      type: "PurchaseOrderPlaced", csv: "at,po,sku,qty,expected\n2026-10-05,PO-1,A1,100,2026-10-20\n",
      data: #"{"po":"PO-1","sku":"A1","qty":100,"expected":"2026-10-20"}"#),
    TypeCase(
      type: "ReturnReceived", csv: "at,order,sku,qty,reason\n2026-11-10,SO-1,A1,1,damaged\n",
      data: #"{"order":"SO-1","sku":"A1","qty":1,"reason":"damaged"}"#),
    TypeCase(
      type: "PaymentReceived", csv: "at,payment,customer,amount,method\n2026-11-20,PAY-1,C-1,3000,bank transfer\n",
      data: #"{"payment":"PAY-1","customer":"C-1","amount":"3000.00","method":"bank transfer"}"#),
    TypeCase(
      type: "PaymentMatched", csv: "at,payment,invoice,amount\n2026-11-21,PAY-1,INV-1,0.5\n",
      data: #"{"payment":"PAY-1","invoice":"INV-1","amount":"0.50"}"#),
    TypeCase(
      type: "OrderCostRecorded", csv: "at,order,kind,amount\n2026-11-21,SO-1,freight,180\n",
      data: #"{"order":"SO-1","kind":"freight","amount":"180.00"}"#),
    TypeCase(
      type: "ServiceCaseOpened", csv: "at,case,customer,order,kind,text\n2026-11-21,K-1,C-1,SO-1,complaint,\"Box dented;\nsecond line\"\n",
      data: #"{"case":"K-1","customer":"C-1","order":"SO-1","kind":"complaint","text":"Box dented;\nsecond line"}"#),
    TypeCase(
      type: "ServiceCaseClosed", csv: "at,case,resolution,satisfaction\n2026-11-22,K-1,replaced,4\n",
      data: #"{"case":"K-1","resolution":"replaced","satisfaction":4}"#),
  ]

  @Test func everyPrimaryTypeHasACase() {
    #expect(Self.cases.map(\.type) == CSVLayout.primaryTypes)
  }

  @Test(arguments: cases)
  func minimalFile(_ c: TypeCase) throws {
    let r = try csvRead(c.type, c.csv)
    #expect(r.error == nil)
    #expect(r.failures == [])
    #expect(r.records.map(\.line) == [2])
    let event = try #require(r.events.first)
    #expect(event.type == c.type)
    #expect(event.data == (try jsonObject(c.data)))
    #expect(event.key == nil)
    #expect(event.v == 1)
  }
}

@Suite("CSVEventReader: fixtures")
struct CSVFixtureTests {
  /// The good files, in the order that imports them into a fresh store.
  static let good: [(file: String, type: String, events: Int)] = [
    ("customers.csv", "CustomerRegistered", 3),
    ("reps.csv", "RepRegistered", 2),
    ("products.csv", "ProductDefined", 3),
    ("stock_received.csv", "StockReceived", 3),
    ("orders.csv", "OrderConfirmed", 3),
    ("shipments.csv", "Shipped", 2),
    ("payments.csv", "PaymentReceived", 3),
    ("bom_crlf.csv", "PaymentReceived", 2),
  ]

  @Test func goodFilesReadWithoutErrors() throws {
    for (file, type, count) in Self.good {
      let r = try csvFixture(type, file)
      #expect(r.error == nil, "\(file)")
      #expect(r.failures == [], "\(file)")
      #expect(r.events.count == count, "\(file)")
      let bytes = try Fixtures.bytes("csv/\(file)")
      #expect(try csvRead(type, bytes: bytes, chunk: 1) == r, "\(file) byte by byte")
    }
  }

  @Test func ordersFixture() throws {
    let r = try csvFixture("OrderConfirmed", "orders.csv")
    #expect(r.records.map(\.line) == [2, 3, 5])
    #expect(r.events.map(\.key) == ["erp:SO-2001", "erp:SO-2002", "erp:SO-2003"])
    let first = try #require(r.events.first)
    #expect(first.data["promotion"] == "Autumn sale, 5% off")
    #expect(first.data["lines"]?.arrayValue?.compactMap { $0.objectValue?["sku"] } == ["W-10", "G-20", "S-30"])
    #expect(first.data["allow_backorder"] == .bool(false))
  }

  @Test func quotedTextWithCommaAndNewline() throws {
    let customers = try csvFixture("CustomerRegistered", "customers.csv")
    #expect(customers.records.map(\.line) == [2, 3, 4])
    #expect(customers.events.map { $0.data["name"] } == ["Acme Trading, Ltd.", "上海华联超市", "Nordic Supply AS\nOslo office"])
    let products = try csvFixture("ProductDefined", "products.csv")
    #expect(products.records.map(\.line) == [2, 3, 4])
    #expect(products.events.map { $0.data["name"] } == ["Widget, large", "Gadget \"Pro\"", "Spare part kit\n(10 pieces)"])
  }

  @Test func bomAndCRLF() throws {
    let r = try csvFixture("PaymentReceived", "bom_crlf.csv")
    #expect(r.records.map(\.line) == [2, 4])
    #expect(r.events == [
      try jsonlEvent(#"{"type":"PaymentReceived","at":"2026-11-26","key":"bank:77","data":{"payment":"PAY-2004","customer":"C-203","amount":"250.00","method":"card\n(ref \"77\")"}}"#),
      try jsonlEvent(#"{"type":"PaymentReceived","at":"2026-11-27","key":"bank:78","data":{"payment":"PAY-2005","customer":"C-203","amount":"49.50"}}"#),
    ])
  }

  @Test func badQuote() throws {
    let r = try csvFixture("PaymentReceived", "bad_quote.csv")
    #expect(r.records.map(\.line) == [2])
    #expect(r.error == CSVError(
      line: 3, "field 3: a quote in an unquoted field (enclose the field in quotes and write a quote as \"\")"))
  }

  @Test func badHeader() throws {
    let r = try csvFixture("OrderConfirmed", "bad_header.csv")
    #expect(r.records == [])
    #expect(r.error == CSVError(
      line: 1,
      "unknown column 'customer_id'; OrderConfirmed takes: at, key, v, order, customer, rep, channel, region, lead, quote, promotion, payment_terms_days, allow_backorder, sku, qty, unit_price, discount"))
  }

  @Test func badCells() throws {
    let r = try csvFixture("OrderConfirmed", "bad_cells.csv")
    #expect(r.error == nil)
    #expect(r.events == [])
    #expect(r.failures == [
      #"2: field 'qty': expected a positive integer, got "1.5""#,
      #"3: field 'at': expected an RFC 3339 time with offset (2026-11-03T10:15:00+08:00) or a date (2026-11-03), got "2026-11-3""#,
      "4: field 'unit_price': '12.345' has more than 2 decimal places",
      "5: field 'customer': is required",
      #"6: field 'discount': '1.5' is not a rate between 0 and 1 (write e.g. "0.10")"#,
      "7: expected 8 fields as in the header, got 7",
      #"9: field 'customer': differs from line 8 of the same order ("C-202" here, "C-201" there)"#,
      "11: field 'qty': must be a positive integer, got 0",
      "12: field 'order': is required",
    ])
  }

  /// The good files are one coherent history: imported in order into a fresh store, every event
  /// passes the business rules.
  @Test func goodFilesImportIntoAFreshStore() throws {
    let dir = try TemporaryDirectory("erpctl-csv")
    defer { dir.remove() }
    let store = try EventStore.create(
      at: dir.file("store.lmdb"), metadata: StoreMetadata(created: Instant(seconds: 1_790_000_000)))
    var primary = 0
    for (file, type, _) in Self.good {
      let events = try csvFixture(type, file).events
      primary += events.count
      let outcomes = try store.append(events, clock: { Instant(seconds: 1_795_000_000) })
      #expect(outcomes.count == events.count, "\(file)")
    }
    // Derived: a reservation per SKU of each order (6), an invoice per shipment (2), a match per
    // payment that found an open invoice (3; C-203 has none, so its payments stay credit).
    #expect(try store.count() == UInt64(primary + 6 + 2 + 3))
  }
}

@Suite("CSVEventReader: documentation")
struct CSVDocumentationTests {
  /// CSV LAYOUTS in erpctl(1) lists every primary type with exactly its columns, the required
  /// ones before the word "optional".
  @Test(arguments: CSVLayout.primaryTypes)
  func manPageListsTheColumns(_ type: String) throws {
    let man = String(decoding: try Fixtures.bytes("../man/erpctl.1"), as: UTF8.self)
    let section = try #require(man.components(separatedBy: ".SH CSV LAYOUTS\n").dropFirst().first)
      .components(separatedBy: "\n.SH ")[0]
    let entry = try #require(section.components(separatedBy: ".TP\n.B \(type)\n").dropFirst().first)
      .components(separatedBy: "\n.TP\n")[0].components(separatedBy: "\n.PP")[0]
    let words = entry.replacingOccurrences(of: "\\-", with: "-")
      .split(whereSeparator: { " \n\",;.()".contains($0) }).map(String.init)
    let optionalAt = words.firstIndex(of: "optional") ?? words.count
    let layout = try CSVLayout(type: type)
    for column in layout.columns where column.role != .envelope {
      let i = try #require(words.firstIndex(of: column.name), "\(type): \(column.name)")
      #expect((i < optionalAt) == (column.required || column.role == .lineField), "\(type): \(column.name)")
    }
    let names = Set(layout.columns.filter { $0.role != .envelope }.map(\.name))
    let prose: Set = ["One", "row", "per", "line", "gathered", "by", "required", "optional", "columns", "and", "BR", "B"]
    #expect(Set(words).subtracting(prose.subtracting(names)) == names, "\(type)")
  }
}
