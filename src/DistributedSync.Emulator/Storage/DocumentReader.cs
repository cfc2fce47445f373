using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using Microsoft.Data.Sqlite;

namespace DistributedSync.Emulator.Storage;

/// <summary>The SELECTs shared by the writer's and the readers' connections.</summary>
internal static class DocumentReader
{
    public static IEnumerable<StoredDocument> Scan(SqliteConnection connection, CollectionInfo info, long afterRecordId, int? limit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = limit is null
            ? $"SELECT rid, doc FROM {info.DocumentTable} WHERE rid > $after ORDER BY rid;"
            : $"SELECT rid, doc FROM {info.DocumentTable} WHERE rid > $after ORDER BY rid LIMIT $limit;";
        command.Parameters.AddWithValue("$after", afterRecordId);
        if (limit is { } l)
        {
            command.Parameters.AddWithValue("$limit", l);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return Materialize(reader);
        }
    }

    /// <summary>Every document, newest record first (reverse natural order), read lazily.</summary>
    public static IEnumerable<StoredDocument> ScanReverse(SqliteConnection connection, CollectionInfo info)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT rid, doc FROM {info.DocumentTable} ORDER BY rid DESC;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return Materialize(reader);
        }
    }

    public static StoredDocument? FindById(SqliteConnection connection, CollectionInfo info, BsonValue id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT rid, doc FROM {info.DocumentTable} WHERE idk = $k;";
        command.Parameters.AddWithValue("$k", IndexKeyEncoder.Encode(id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Materialize(reader) : null;
    }

    public static long MinRecordId(SqliteConnection connection, CollectionInfo info)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT coalesce(min(rid), 0) FROM {info.DocumentTable};";
        return (long)command.ExecuteScalar()!;
    }

    private static StoredDocument Materialize(SqliteDataReader reader)
    {
        var bytes = (byte[])reader[1];
        return new StoredDocument(reader.GetInt64(0), BsonCodec.Decode(bytes), bytes.Length);
    }
}
