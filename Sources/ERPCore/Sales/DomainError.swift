/// Why the command side refused an event (exit 65). Messages are short, lowercase and name the
/// offending values.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
  case unknown(String, id: String)
  case duplicate(String, id: String)
  case insufficientStock(sku: String, requested: Int64, available: Int64)
  case overShipment(order: String, sku: String, requested: Int64, open: Int64)
  case notOnOrder(order: String, sku: String)
  case orderClosed(order: String, state: String)
  case overMatchInvoice(invoice: String, amount: Money, open: Money)
  case overMatchPayment(payment: String, amount: Money, unapplied: Money)
  case customerMismatch(payment: String, invoice: String)
  case overReturn(order: String, sku: String, requested: Int64, returnable: Int64)
  case stageBackwards(lead: String, from: LeadStage, to: LeadStage)
  case leadClosed(lead: String, stage: LeadStage)
  case reasonRequired(lead: String)
  case adjustmentBelowAvailable(sku: String, requested: Int64, available: Int64)
  case unitCostRequired(sku: String)
  case caseClosed(String)
  case purchaseOrderSKU(po: String, sku: String, expected: String)
  case derived(type: String)
  case invalid(field: String, String)
  case amountTooLarge(String)

  public var description: String {
    switch self {
    case .unknown(let kind, let id): "unknown \(kind) '\(id)'"
    case .duplicate(let kind, let id): "\(kind) '\(id)' already exists"
    case .insufficientStock(let sku, let requested, let available):
      "cannot reserve \(requested) of '\(sku)': only \(available) available (confirm with allow_backorder to backorder the rest)"
    case .overShipment(let order, let sku, let requested, let open):
      "cannot ship \(requested) of '\(sku)' on order '\(order)': only \(open) reserved and unshipped"
    case .notOnOrder(let order, let sku): "order '\(order)' has no line for '\(sku)'"
    case .orderClosed(let order, let state): "order '\(order)' is \(state)"
    case .overMatchInvoice(let invoice, let amount, let open):
      "cannot match \(amount) to invoice '\(invoice)': its open balance is \(open)"
    case .overMatchPayment(let payment, let amount, let unapplied):
      "cannot match \(amount) from payment '\(payment)': only \(unapplied) is unapplied"
    case .customerMismatch(let payment, let invoice):
      "payment '\(payment)' and invoice '\(invoice)' belong to different customers"
    case .overReturn(let order, let sku, let requested, let returnable):
      "cannot return \(requested) of '\(sku)' on order '\(order)': only \(returnable) shipped and not yet returned"
    case .stageBackwards(let lead, let from, let to):
      "lead '\(lead)' cannot move from \(from.rawValue) to \(to.rawValue) (stages only move forward)"
    case .leadClosed(let lead, let stage): "lead '\(lead)' is already \(stage.rawValue)"
    case .reasonRequired(let lead): "losing lead '\(lead)' needs a reason"
    case .adjustmentBelowAvailable(let sku, let requested, let available):
      "cannot remove \(requested) of '\(sku)': only \(available) on hand and not reserved"
    case .unitCostRequired(let sku): "adding stock of '\(sku)' with none on hand needs a unit_cost"
    case .caseClosed(let id): "service case '\(id)' is already closed"
    case .purchaseOrderSKU(let po, let sku, let expected):
      "purchase order '\(po)' is for '\(expected)', not '\(sku)'"
    case .derived(let type):
      "\(type) is derived by the store from a primary event and cannot be appended; to load a whole export use 'erpctl restore'"
    case .invalid(let field, let message): "field '\(field)': \(message)"
    case .amountTooLarge(let what): "\(what) is too large"
    }
  }
}
