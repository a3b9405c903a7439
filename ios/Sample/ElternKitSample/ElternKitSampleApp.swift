import ElternKit
import SwiftUI

@main
struct ElternKitSampleApp: App {
    var body: some Scene {
        WindowGroup { ContentView() }
    }
}
