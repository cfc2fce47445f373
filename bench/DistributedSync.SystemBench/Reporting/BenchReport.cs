using System.Globalization;
using System.Text;
using Spectre.Console;

namespace DistributedSync.SystemBench.Reporting;

/// <summary>
/// One benchmark's result: a table (printed with Spectre.Console, and kept as Markdown), a
/// one-line summary and free notes. <see cref="Markdown"/> is what goes into docs/benchmarks.md.
/// </summary>
internal sealed class BenchReport
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];

    public BenchReport(string name, string title, params string[] headers)
    {
        Name = name;
        Title = title;
        _headers = headers;
    }

    public string Name { get; }

    public string Title { get; }

    /// <summary>The one-line summary (goal and verdict).</summary>
    public string Summary { get; set; } = "";

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"{cells.Length} cells for {_headers.Length} columns.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void AddNote(string note) => _notes.Add(note);

    /// <summary>Prints the table, the notes and the summary.</summary>
    public void Print()
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(Title));
        for (var i = 0; i < _headers.Length; i++)
        {
            var column = new TableColumn(Markup.Escape(_headers[i]));
            table.AddColumn(i == 0 ? column.LeftAligned() : column.RightAligned());
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
        foreach (var note in _notes)
        {
            Console.WriteLine("  " + note);
        }

        Console.WriteLine($"[{Name}] {Summary}");
        Console.WriteLine();
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.Append("#### ").AppendLine(Title).AppendLine();
        text.Append("| ").Append(string.Join(" | ", _headers)).AppendLine(" |");
        text.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", _headers.Length - 1))).AppendLine();
        foreach (var row in _rows)
        {
            text.Append("| ").Append(string.Join(" | ", row)).AppendLine(" |");
        }

        text.AppendLine();
        foreach (var note in _notes)
        {
            text.Append("- ").AppendLine(note);
        }

        if (_notes.Count > 0)
        {
            text.AppendLine();
        }

        text.Append("**").Append(Summary).AppendLine("**").AppendLine();
        return text.ToString();
    }

    public static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string F(double value, int digits = 2) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Verdict(bool met) => met ? "met" : "MISSED";
}
