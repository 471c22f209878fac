import CZlib
import Foundation

/// Just enough PNG to look at a screenshot: 8-bit RGB or RGBA, not interlaced (what Chromium writes).
/// Foundation has no image decoder on Linux; the pixel data is inflated with the system zlib.
struct PNGImage {
    let width: Int
    let height: Int
    /// RGB per pixel, row by row.
    let pixels: [UInt8]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(_ data: [UInt8]) throws {
        guard data.count > 33, data.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Failure(description: "not a PNG") }
        func be32(_ at: Int) -> Int { data[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        var header: (width: Int, height: Int, depth: UInt8, colour: UInt8, interlace: UInt8)?
        var compressed: [UInt8] = []
        while offset + 8 <= data.count {
            let length = be32(offset)
            let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(data[(offset + 8)..<min(offset + 8 + length, data.count)])
            if type == "IHDR" {
                header = (be32(offset + 8), be32(offset + 12), body[8], body[9], body[12])
            } else if type == "IDAT" {
                compressed += body
            } else if type == "IEND" {
                break
            }
            offset += 12 + length
        }
        guard let header, header.depth == 8, header.colour == 2 || header.colour == 6, header.interlace == 0 else {
            throw Failure(description: "unsupported PNG: \(String(describing: header))")
        }
        let channels = header.colour == 6 ? 4 : 3
        let rowBytes = header.width * channels
        let raw = try Self.inflate(compressed, expected: (rowBytes + 1) * header.height)
        var rows = [UInt8](repeating: 0, count: rowBytes * header.height)
        for y in 0..<header.height {
            let filter = raw[y * (rowBytes + 1)]
            for x in 0..<rowBytes {
                let byte = Int(raw[y * (rowBytes + 1) + 1 + x])
                let a = x >= channels ? Int(rows[y * rowBytes + x - channels]) : 0
                let b = y > 0 ? Int(rows[(y - 1) * rowBytes + x]) : 0
                let c = x >= channels && y > 0 ? Int(rows[(y - 1) * rowBytes + x - channels]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Failure(description: "bad filter \(filter) on row \(y)")
                }
                rows[y * rowBytes + x] = UInt8((byte + predicted) & 0xFF)
            }
        }
        var rgb: [UInt8] = []
        rgb.reserveCapacity(header.width * header.height * 3)
        for index in stride(from: 0, to: rows.count, by: channels) { rgb += rows[index..<(index + 3)] }
        (width, height, pixels) = (header.width, header.height, rgb)
    }

    private static func inflate(_ input: [UInt8], expected: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expected)
        var length = uLongf(expected)
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { uncompress(out.baseAddress, &length, $0.baseAddress, uLong($0.count)) }
        }
        guard status == Z_OK, Int(length) == expected else { throw Failure(description: "zlib status \(status), \(length) of \(expected) bytes") }
        return output
    }

    /// How many pixels have each colour, as 0xRRGGBB.
    var histogram: [Int: Int] {
        var counts: [Int: Int] = [:]
        for index in stride(from: 0, to: pixels.count, by: 3) {
            counts[Int(pixels[index]) << 16 | Int(pixels[index + 1]) << 8 | Int(pixels[index + 2]), default: 0] += 1
        }
        return counts
    }
}
