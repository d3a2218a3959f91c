import ERPCLI

@main
enum Entrypoint {
  static func main() { ERPCommand.main() }
}
