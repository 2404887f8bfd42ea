using System.Globalization;
using System.Text;

namespace ServerlessComments.Faces;

/// <summary>
/// A face drawn from an avatar id: a 5×5 grid mirrored left to right (as GitHub's identicons),
/// one colour whose hue comes from the id, as a small SVG. Deterministic: the same id always gives
/// the same bytes, so the image can be cached for a year.
/// </summary>
public static class Identicon
{
    public const int Cells = 5;

    /// <summary>Which cells are filled, row by row: 15 bits decide the left three columns,
    /// the right two mirror them.</summary>
    public static bool[,] Grid(string id)
    {
        var bits = Bits(id);
        var grid = new bool[Cells, Cells];
        for (var row = 0; row < Cells; row++)
            for (var col = 0; col < 3; col++)
            {
                var on = ((bits >> (row * 3 + col)) & 1) == 1;
                grid[row, col] = on;
                grid[row, Cells - 1 - col] = on;
            }
        return grid;
    }

    /// <summary>The hue (0–359) from the bits the grid does not use.</summary>
    public static int Hue(string id) => (int)((Bits(id) >> 16) % 360);

    public static string Svg(string id)
    {
        var grid = Grid(id);
        var svg = new StringBuilder(600);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-0.5 -0.5 6 6\" width=\"48\" height=\"48\"><rect x=\"-0.5\" y=\"-0.5\" width=\"6\" height=\"6\" fill=\"#f0f0f0\"/><g fill=\"hsl({Hue(id)},55%,48%)\">");
        for (var row = 0; row < Cells; row++)
            for (var col = 0; col < Cells; col++)
                if (grid[row, col])
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{col}\" y=\"{row}\" width=\"1\" height=\"1\"/>");
        return svg.Append("</g></svg>").ToString();
    }

    // The id's first 64 bits (it is hex from an HMAC, so evenly spread); other text is hashed first.
    private static ulong Bits(string id) =>
        id.Length >= 16 && ulong.TryParse(id.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
