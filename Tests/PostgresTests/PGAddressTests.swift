import Postgres
import XCTest

/// The address a PostgreSQL base is named by (the state's and plans' target): host, port and database as
/// libpq reads them, never the user or the password.
final class PGAddressTests: XCTestCase {
    func testTheAddressNamesHostPortAndDatabaseNeverTheCredentials() {
        XCTAssertEqual(PGAddress.of("postgresql://recon:hunter2@db.example:5433/shop"), "db.example:5433/shop")
        XCTAssertEqual(PGAddress.of("postgres://recon:p%40ss@db.example/shop?sslmode=require"), "db.example/shop")
        XCTAssertEqual(PGAddress.of("postgresql://recon:hunter2@/shop?host=/tmp/sock"), "/tmp/sock/shop")
        XCTAssertEqual(PGAddress.of("host=db.example dbname=shop user=recon password='hunter2'"), "db.example/shop")
        XCTAssertEqual(PGAddress.of("postgresql://recon:hunter2@db.example"), "db.example/")
        for uri in ["postgresql://recon:hunter2@db.example:5433/shop", "host=db.example dbname=shop user=recon password='hunter2'"] {
            let address = PGAddress.of(uri) ?? ""
            XCTAssertFalse(address.contains("hunter2") || address.contains("recon"), address)
        }
    }

    func testAStringLibpqCannotParseHasNoAddress() {
        XCTAssertNil(PGAddress.of("postgresql://recon:hunter2@db.example:notaport/shop?bogus=1"))
        XCTAssertNil(PGAddress.of("host='unterminated"))
    }
}
