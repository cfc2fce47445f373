using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using Microsoft.Data.Sqlite;

namespace DistributedSync.EmulatorBench;

/// <summary>
/// The physical limit: the same documents inserted straight into SQLite in this process, with
/// the emulator's storage layout and settings (src/DistributedSync.Emulator/Storage: one table
/// per collection <c>(rid INTEGER PRIMARY KEY AUTOINCREMENT, idk BLOB NOT NULL UNIQUE, size
/// INTEGER NOT NULL, doc BLOB NOT NULL)</c>, WAL, <c>synchronous=NORMAL</c>, the same
/// <c>INSERT ... RETURNING rid</c> statement, prepared once), 1,000 documents per transaction.
/// No server, no wire, no savepoints: only SQLite's own work.
/// </summary>
internal static class RawSqliteWorkload
{
    /// <summary>Inserts <paramref name="total"/> documents; documents per second.</summary>
    /// <param name="includeEncoding">Also encode each document to BSON inside the timed loop (the emulator decodes and re-encodes what it receives).</param>
    public static double Insert(string directory, int total, int transactionSize, bool includeEncoding)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "raw.sqlite");
        DeleteDatabase(file);
        var documents = new BsonDocument[total];
        var encoded = new byte[total][];
        var keys = new byte[total][];
        for (var i = 0; i < total; i++)
        {
            var id = ObjectId.GenerateNewId();
            documents[i] = BenchDocuments.WithId(id);
            encoded[i] = BsonCodec.ToBytes(documents[i]);

            // The emulator's _id key (Storage/IndexKeyEncoder): 'O' and the 12 ObjectId bytes.
            keys[i] = [(byte)'O', .. id.ToByteArray()];
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=OFF;");
        Execute(connection, "CREATE TABLE d_1 (rid INTEGER PRIMARY KEY AUTOINCREMENT, idk BLOB NOT NULL UNIQUE, size INTEGER NOT NULL, doc BLOB NOT NULL);");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO d_1 (idk, size, doc) VALUES ($p0, $p1, $p2) RETURNING rid;";
        var key = insert.Parameters.Add("$p0", SqliteType.Blob);
        var size = insert.Parameters.Add("$p1", SqliteType.Integer);
        var doc = insert.Parameters.Add("$p2", SqliteType.Blob);
        insert.Prepare();

        var clock = Stopwatch.StartNew();
        for (var first = 0; first < total; first += transactionSize)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (var i = first; i < Math.Min(total, first + transactionSize); i++)
            {
                var bytes = includeEncoding ? BsonCodec.ToBytes(documents[i]) : encoded[i];
                key.Value = keys[i];
                size.Value = bytes.Length;
                doc.Value = bytes;
                insert.ExecuteScalar();
            }

            transaction.Commit();
        }

        clock.Stop();
        connection.Close();
        DeleteDatabase(file);
        return total / clock.Elapsed.TotalSeconds;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void DeleteDatabase(string file)
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(path);
        }
    }
}
