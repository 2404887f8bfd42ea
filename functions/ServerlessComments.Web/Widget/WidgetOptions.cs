namespace ServerlessComments.Web.Widget;

public sealed class WidgetOptions
{
    public const string Section = "Widget";

    /// <summary><c>Widget__StaticBase</c>: the public, read-only address of the thread views'
    /// container (e.g. <c>https://&lt;account&gt;.blob.core.windows.net/threads</c>), from which the
    /// widget reads first pages and <c>counts.json</c>, and where the app keeps a copy of the widget's
    /// files (<c>widget/comments.js</c>, <c>widget/comments.css</c>, <c>widget/count.js</c>).
    /// Empty (the default): the API serves everything.</summary>
    public string StaticBase { get; set; } = "";

    internal const string Invalid = "Widget:StaticBase must be empty or the absolute http(s) address of the public views container, without a query or fragment.";

    internal bool IsValid() =>
        StaticBase.Length == 0 ||
        Uri.TryCreate(StaticBase, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}
