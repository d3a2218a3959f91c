/// The state records deciding a primary event looks up first, each as its kind and the
/// `StateID.preHash` of its id (up to `capacity`): made on the import's reading thread, so
/// that the appending thread can prefetch where they lie a few events ahead
/// (`SalesState.lookupAddresses`). The state's tables are larger than the caches, and almost
/// every first lookup of a record missed them.
public struct StateLookups: Sendable {
  /// (Computed, not a `static let`: a stored one was a `swift_once` check at every `add`.)
  public static var capacity: Int { 8 }
  private var kinds: InlineArray<8, StateKind> = .init(repeating: .customer)
  private var hashes: InlineArray<8, UInt64> = .init(repeating: 0)
  public private(set) var count = 0

  public init() {}

  /// The records `event`'s decision reads first: the ids it names (not those found through
  /// other records, such as a shipment's customer), its lines' products and stock first among
  /// them up to the capacity. (Borrowed: the event and then each case's payload had been copied
  /// and destroyed, retaining and releasing their strings, about 450 instructions a record on
  /// the import's reading thread.)
  public init(of event: borrowing SalesEvent) {
    switch event {
    case .customerRegistered(let e): add(.customer, e.customer)
    case .leadCreated(let e): add(.lead, e.lead); add(.rep, e.rep)
    case .leadStageChanged(let e): add(.lead, e.lead)
    case .activityLogged(let e):
      add(.rep, e.rep)
      if let l = e.lead { add(.lead, l) }
      if let c = e.customer { add(.customer, c) }
    case .quoteIssued(let e):
      add(.quote, e.quote); add(.customer, e.customer)
      if let l = e.lead { add(.lead, l) }
    case .orderConfirmed(let e):
      add(.order, e.order); add(.customer, e.customer); add(.rep, e.rep)
      for l in e.lines { add(.product, l.sku); add(.stock, l.sku) }
    case .shipped(let e):
      // (The invoice it issues is new: where its slot is, for the insertion.)
      add(.order, e.order); add(.shipment, e.shipment); add(.invoice, SalesDecider.invoiceID(shipment: e.shipment))
      for l in e.lines { add(.product, l.sku); add(.stock, l.sku) }
    case .orderCancelled(let e): add(.order, e.order)
    case .returnReceived(let e): add(.order, e.order); add(.stock, e.sku)
    case .stockReceived(let e):
      add(.product, e.sku); add(.stock, e.sku)
      if let po = e.po { add(.purchaseOrder, po) }
    case .stockAdjusted(let e): add(.product, e.sku); add(.stock, e.sku)
    case .purchaseOrderPlaced(let e): add(.purchaseOrder, e.po); add(.product, e.sku)
    case .paymentReceived(let e): add(.payment, e.payment); add(.customer, e.customer)
    case .orderCostRecorded(let e): add(.order, e.order)
    case .serviceCaseOpened(let e): add(.serviceCase, e.caseID); add(.customer, e.customer)
    case .serviceCaseClosed(let e): add(.serviceCase, e.caseID)
    default: break
    }
  }

  mutating func add(_ kind: StateKind, _ id: String) {
    guard count < Self.capacity else { return }
    kinds[count] = kind
    hashes[count] = StateID.preHash(id)
    count += 1
  }

  /// Each lookup's kind and id hash.
  @inline(__always)
  func forEach(_ body: (StateKind, UInt64) -> Void) {
    for i in 0..<count { body(kinds[i], hashes[i]) }
  }
}
