#!/usr/bin/env bash
# Runs inside the Debian trixie chroot (bindings/scripts/swift-chroot.sh), in a folder that
# `cargo xtask test-swift` filled with: libelternkit_ffi.so, the generated ElternKit.swift,
# ElternKitFFI.h and ElternKitFFI.modulemap, the Tests/*.swift files, demo_case.json and the
# loopback sandbox relay's directory.json(.sig).
set -euo pipefail
XCTEST_LIB=$(dirname "$(find /usr -name libXCTest.so -print -quit)")
[[ -n "$XCTEST_LIB" ]] || { echo "run-tests: libXCTest.so not found in the chroot" >&2; exit 1; }
FFI=(-Xcc "-fmodule-map-file=$PWD/ElternKitFFI.modulemap" -I "$PWD" -L "$PWD" -module-cache-path "$PWD/module-cache")

# The generated bindings as a Swift module over the Rust library.
swiftc -emit-library -emit-module -module-name ElternKit -parse-as-library "${FFI[@]}" \
  -lelternkit_ffi ElternKit.swift -o libElternKit.so
# The tests (XCTest; main.swift lists them, Linux has no test discovery without SwiftPM).
swiftc "${FFI[@]}" -L "$XCTEST_LIB" -lElternKit -lelternkit_ffi -lXCTest \
  AppTests.swift PlannerTests.swift SubmissionTests.swift main.swift -o elternkit-swift-tests
ELTERNKIT_DEMO_CASE="$PWD/demo_case.json" LD_LIBRARY_PATH=".:$XCTEST_LIB" ./elternkit-swift-tests
