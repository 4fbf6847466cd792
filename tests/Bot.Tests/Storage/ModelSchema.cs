using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace PerpGuard.Bot.Tests.Storage;

/// <summary>
/// The schema as EF sees it, one sorted line per fact, from two sources: a model (the live one, the snapshot, a
/// migration's target model) and the operations of migrations. Unlike SQLite's own description it includes what
/// SQLite ignores (max lengths, provider CLR types), which is what <c>dotnet ef</c> would have written.
/// </summary>
internal static class ModelSchema
{
    /// <summary>The runtime-initialized relational model of a snapshot or target model.</summary>
    public static IRelationalModel Relational(DbContext db, IModel model) =>
        db.GetService<IModelRuntimeInitializer>().Initialize(model).GetRelationalModel();

    public static IReadOnlyList<string> Describe(IRelationalModel model)
    {
        var lines = new List<string>();
        foreach (var table in model.Tables)
        {
            foreach (var column in table.Columns)
                lines.Add(Column(table.Name, column.Name, column.ProviderClrType, column.StoreType, column.IsNullable, column.MaxLength));
            if (table.PrimaryKey is { } pk) lines.Add(PrimaryKey(table.Name, pk.Name, pk.Columns.Select(c => c.Name)));
            foreach (var fk in table.ForeignKeyConstraints)
                lines.Add(ForeignKey(table.Name, fk.Name, fk.Columns.Select(c => c.Name), fk.PrincipalTable.Name, fk.PrincipalColumns.Select(c => c.Name), fk.OnDeleteAction));
            foreach (var index in table.Indexes)
                lines.Add(Index(table.Name, index.Name, index.Columns.Select(c => c.Name), index.IsUnique));
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The schema that applying <paramref name="migrations"/>' Up operations in order leaves behind.</summary>
    public static IReadOnlyList<string> Describe(IEnumerable<Migration> migrations)
    {
        var lines = new List<string>();
        foreach (var operation in migrations.SelectMany(m => m.UpOperations))
        {
            switch (operation)
            {
                case CreateTableOperation create:
                    lines.AddRange(create.Columns.Select(c => Column(create.Name, c)));
                    if (create.PrimaryKey is { } pk) lines.Add(PrimaryKey(create.Name, pk.Name, pk.Columns));
                    lines.AddRange(create.ForeignKeys.Select(fk =>
                        ForeignKey(create.Name, fk.Name, fk.Columns, fk.PrincipalTable, fk.PrincipalColumns ?? [], fk.OnDelete)));
                    break;
                case AddColumnOperation add:
                    lines.Add(Column(add.Table, add));
                    break;
                case CreateIndexOperation index:
                    lines.Add(Index(index.Table, index.Name, index.Columns, index.IsUnique));
                    break;
                default:
                    // A new kind of operation in a future migration: teach this method what it does to the schema.
                    throw new NotSupportedException($"{operation.GetType().Name} is not described yet");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Column(string table, AddColumnOperation c) => Column(table, c.Name, c.ClrType, c.ColumnType, c.IsNullable, c.MaxLength);

    private static string Column(string table, string name, Type clrType, string? storeType, bool nullable, int? maxLength) =>
        $"{table} column {name} {(Nullable.GetUnderlyingType(clrType) ?? clrType).Name} {storeType} nullable={nullable} maxLength={maxLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";

    private static string PrimaryKey(string table, string name, IEnumerable<string> columns) => $"{table} primary key {name} ({string.Join(", ", columns)})";

    private static string ForeignKey(string table, string name, IEnumerable<string> columns, string principal, IEnumerable<string> principalColumns, ReferentialAction onDelete) =>
        $"{table} foreign key {name} ({string.Join(", ", columns)}) -> {principal} ({string.Join(", ", principalColumns)}) on delete {onDelete}";

    private static string Index(string table, string name, IEnumerable<string> columns, bool unique) =>
        $"{table} index {name} ({string.Join(", ", columns)}) unique={unique}";
}
