import Foundation
import Security

/// The device secrets in the iOS Keychain: generic passwords of this app's service,
/// readable after the first unlock (background tasks run while the device is locked) and
/// never synced or moved to another device. Counters live there too, out of reach of anyone
/// who can only write the app's files, so a database put back to an older copy is noticed.
public final class KeychainSecretStore: SecretStore, @unchecked Sendable {
    private let service: String

    public init(service: String = "de.elternkit.secrets") {
        self.service = service
    }

    private func query(_ account: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
        ]
    }

    private func read(_ account: String) throws -> Data? {
        var q = query(account)
        q[kSecReturnData as String] = true
        q[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &item)
        switch status {
        case errSecSuccess: return item as? Data
        case errSecItemNotFound: return nil
        default: throw SecretStoreError.Unavailable(reason: "Keychain read failed (\(status))")
        }
    }

    /// Adds the item; `false` when one exists already.
    private func add(_ account: String, _ data: Data) throws -> Bool {
        var q = query(account)
        q[kSecValueData as String] = data
        q[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(q as CFDictionary, nil)
        switch status {
        case errSecSuccess: return true
        case errSecDuplicateItem: return false
        default: throw SecretStoreError.Unavailable(reason: "Keychain add failed (\(status))")
        }
    }

    private func update(_ account: String, _ data: Data) throws {
        let status = SecItemUpdate(query(account) as CFDictionary, [kSecValueData as String: data] as CFDictionary)
        guard status == errSecSuccess else {
            throw SecretStoreError.Unavailable(reason: "Keychain update failed (\(status))")
        }
    }

    public func load(name: String) throws -> Data? {
        try read("secret.\(name)")
    }

    public func store(name: String, secret: Data) throws {
        if try !add("secret.\(name)", secret) { try update("secret.\(name)", secret) }
    }

    /// `SecItemAdd` is atomic across processes (app and extensions): the loser reads the
    /// winner's secret.
    public func storeIfAbsent(name: String, secret: Data) throws -> Data {
        if try add("secret.\(name)", secret) { return secret }
        guard let existing = try read("secret.\(name)") else {
            throw SecretStoreError.Unavailable(reason: "Keychain item vanished during create-once")
        }
        return existing
    }

    public func delete(name: String) throws {
        let status = SecItemDelete(query("secret.\(name)") as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw SecretStoreError.Unavailable(reason: "Keychain delete failed (\(status))")
        }
    }

    public func keepsCounters() -> Bool { true }

    public func counterGet(name: String) throws -> UInt64 {
        guard let data = try read("counter.\(name)"), data.count == 8 else { return 0 }
        return data.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public func counterRaise(name: String, value: UInt64) throws {
        let bytes = Data((0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) })
        if try add("counter.\(name)", bytes) { return }
        if try counterGet(name: name) < value { try update("counter.\(name)", bytes) }
    }
}

/// Today in Germany, as the core expects it.
public final class SystemClock: PlatformClock, @unchecked Sendable {
    public init() {}

    public func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}
