/// Why a customer-value model (BG/NBD, Gamma-Gamma) could not be fitted.
public enum CustomerModelError: Error, Equatable, CustomStringConvertible {
  /// Fewer usable customers than the model needs.
  case tooFewCustomers(model: String, count: Int, minimum: Int)
  /// No customer made a repeat purchase, so the dropout process cannot be estimated.
  case noRepeatPurchases
  /// Every customer's age `T` is 0: there is no time span to estimate a purchase rate from.
  case noElapsedTime
  /// A customer whose inputs break the model's conventions.
  case invalidInput(String)
  /// The optimiser found no point with a finite likelihood.
  case noFiniteLikelihood(model: String)

  public var description: String {
    switch self {
    case .tooFewCustomers(let model, let count, let minimum):
      "cannot fit the \(model) model: \(count) usable customers, at least \(minimum) needed"
    case .noRepeatPurchases:
      "cannot fit the BG/NBD model: no customer has a repeat purchase"
    case .noElapsedTime:
      "cannot fit the BG/NBD model: every customer's first purchase is on the as-of date"
    case .invalidInput(let what): "invalid model input: \(what)"
    case .noFiniteLikelihood(let model):
      "cannot fit the \(model) model: no parameters give a finite likelihood"
    }
  }
}
