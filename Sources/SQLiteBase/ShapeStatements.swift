/// A batch's prepared statements by verb and shape (the columns written, in table order): the SQL text is built
/// and looked up once per shape, not once per record.
final class ShapeStatements {
    enum Verb: Hashable { case insert, update, updateReturning }

    private struct Key: Hashable {
        let verb: Verb
        let columns: [Int]
    }

    private var statements: [Key: SQLiteStatement] = [:]

    /// The statement for `verb` over `columns`, reset; `sql` builds its text the first time.
    func statement(_ verb: Verb, _ columns: [Int], _ connection: SQLiteConnection, sql: () -> String) throws -> SQLiteStatement {
        let key = Key(verb: verb, columns: columns)
        if let statement = statements[key] {
            statement.reset()
            return statement
        }
        let statement = try connection.prepare(sql())
        statements[key] = statement
        return statement
    }
}
