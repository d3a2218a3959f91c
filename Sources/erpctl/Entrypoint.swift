import CMimalloc
import ERPCLI

@main
enum Entrypoint {
  static func main() {
    // mimalloc replaces the C library's malloc for the whole process once it is loaded (see
    // Package.swift). Naming one of its functions keeps the library linked, as a linker that
    // drops unused libraries would otherwise do.
    _ = mi_version()
    ERPCommand.main()
  }
}
