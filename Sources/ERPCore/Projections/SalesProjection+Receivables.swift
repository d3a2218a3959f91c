/// The invoices of the sales projection as receivables (SPEC 5: open invoice balances).
///
/// The fold keeps every invoice (`invoices`, each in a record of its own when stored: a credit
/// note may still name an invoice after it is settled). The invoices still open are also kept in
/// records of their own (`RecordKind.openInvoice`), so `report receivables` on an up-to-date
/// projection reads them without the others: a projection loaded for reading knows only its open
/// invoices, which is all a report asks of it.
extension SalesProjection {
  /// An invoice with an open balance, as folded so far.
  public struct OpenInvoice: Sendable, Hashable {
    public var invoice: String
    /// Index of the order's dimensions at confirmation (`SalesProjection.tuples`).
    public var tuple: UInt32
    public var issued: CivilDate
    public var due: CivilDate
    /// Minor units: the invoiced amount, and the sums of the PaymentMatched and CreditNoteIssued
    /// events folded so far that name it.
    public var amount: Int64
    public var matched: Int64
    public var credited: Int64

    /// amount − matched − credited, never below 0. The store never matches more than the open
    /// balance and turns the part of a credit note beyond it into customer credit, so this is
    /// the balance the command side keeps.
    public var open: Int64 { max(0, amount - matched - credited) }
  }

  /// The invoices whose open balance is above 0, by invoice id (in UTF-8 order).
  public var openInvoices: [OpenInvoice] {
    zip(invoices.keys, invoices.values).compactMap { id, i in
      let o = Self.openInvoice(id.id, i)
      return o.open > 0 ? o : nil
    }.sorted { StateID.bytesPrecede($0.invoice, $1.invoice) }
  }

  static func openInvoice(_ id: String, _ i: InvoiceInfo) -> OpenInvoice {
    OpenInvoice(
      invoice: id, tuple: i.tuple, issued: CivilDate(daysSinceEpoch: i.issueDay),
      due: CivilDate(daysSinceEpoch: i.dueDay), amount: i.amount, matched: i.matched, credited: i.credited)
  }

  // MARK: Stored form

  static func writeInvoice(_ id: String, _ i: InvoiceInfo, into w: inout BinaryWriter) {
    w.string(id)
    w.u32(i.tuple)
    w.u32(UInt32(bitPattern: i.issueDay))
    w.u32(UInt32(bitPattern: i.dueDay))
    w.i64(i.amount)
    w.i64(i.matched)
    w.i64(i.credited)
  }

  static func readInvoice(from r: inout BinaryReader) throws(CodecError) -> (String, InvoiceInfo) {
    let id = try r.string()
    let tuple = try r.u32()
    let issue = Int32(bitPattern: try r.u32())
    let due = Int32(bitPattern: try r.u32())
    let amount = try r.i64()
    let matched = try r.i64()
    let credited = try r.i64()
    return (id, InvoiceInfo(
      tuple: tuple, issueDay: issue, amount: amount, dueDay: due, matched: matched, credited: credited))
  }
}
