namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Which analysed fields BM25 indexes and queries.</summary>
public enum Bm25Fields
{
    /// <summary>Every chunk in the English field, Chinese chunks also in the SmartCn field; queries with Han characters search both, others the English field only.</summary>
    ByQueryScript,

    /// <summary>Every chunk in both fields; every query searches both.</summary>
    Both,
}
