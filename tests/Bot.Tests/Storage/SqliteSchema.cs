using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PerpGuard.Bot.Tests.Storage;

/// <summary>
/// What SQLite itself says about a database's schema, one sorted line per fact, so two databases compare with one
/// <c>Assert.Equal</c> and a failure shows the differing lines. Column order is not a fact here: <c>ADD COLUMN</c>
/// appends where <c>CREATE TABLE</c> would interleave.
/// </summary>
internal static class SqliteSchema
{
    public const string HistoryTable = "__EFMigrationsHistory";

    /// <summary>
    /// The application's tables, sorted: not SQLite's own (<c>sqlite_sequence</c>), not EF's bookkeeping
    /// (<c>__EFMigrationsHistory</c>, and <c>__EFMigrationsLock</c> that EF 9+ creates on SQLite while migrating).
    /// </summary>
    public static IReadOnlyList<string> Tables(SqliteConnection connection) =>
        Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_\\_EFMigrations%' ESCAPE '\\' ORDER BY name");

    /// <summary>
    /// Per table: columns (name, declared type, not null, primary key position), whether the key is AUTOINCREMENT,
    /// indexes (name, unique, origin, columns in order) and foreign keys (columns, target, actions).
    /// </summary>
    public static IReadOnlyList<string> Describe(SqliteConnection connection)
    {
        var lines = new List<string>();
        foreach (var table in Tables(connection))
        {
            foreach (var row in Rows(connection, "SELECT name, type, \"notnull\", pk FROM pragma_table_info($t)", ("$t", table)))
                lines.Add($"{table} column {row[0]} {row[1]} notnull={row[2]} pk={row[3]}");

            var sql = Strings(connection, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $t", ("$t", table)).Single();
            lines.Add($"{table} autoincrement={sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase)}");

            foreach (var index in Rows(connection, "SELECT name, \"unique\", origin, partial FROM pragma_index_list($t)", ("$t", table)))
            {
                var columns = Strings(connection, "SELECT name FROM pragma_index_info($i) ORDER BY seqno", ("$i", index[0]));
                lines.Add($"{table} index {index[0]} unique={index[1]} origin={index[2]} partial={index[3]} ({string.Join(", ", columns)})");
            }

            foreach (var fk in Rows(connection,
                "SELECT id, seq, \"from\", \"table\", \"to\", on_update, on_delete, \"match\" FROM pragma_foreign_key_list($t) ORDER BY id, seq", ("$t", table)))
                lines.Add($"{table} foreign key #{fk[0]}.{fk[1]} {fk[2]} -> {fk[3]}({fk[4]}) on update {fk[5]} on delete {fk[6]} match {fk[7]}");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Everything in <c>sqlite_master</c> (history table included), for "nothing changed" checks.</summary>
    public static IReadOnlyList<string> Master(SqliteConnection connection) =>
        Rows(connection, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").Select(r => string.Join(" | ", r)).ToList();

    /// <summary>Every row of a table as text, ordered by the first column.</summary>
    public static IReadOnlyList<string> Dump(SqliteConnection connection, string table)
    {
        if (!Tables(connection).Contains(table) && table != HistoryTable) throw new ArgumentException($"no table {table}", nameof(table));
        return Rows(connection, $"SELECT * FROM \"{table}\" ORDER BY 1").Select(r => string.Join(" | ", r)).ToList();
    }

    public static string Scalar(SqliteConnection connection, string sql) => Strings(connection, sql).Single();

    public static IReadOnlyList<string> Strings(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        Rows(connection, sql, parameters).Select(r => r[0]).ToList();

    public static IReadOnlyList<string[]> Rows(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            rows.Add(row);
        }
        return rows;
    }

    public static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }
}
