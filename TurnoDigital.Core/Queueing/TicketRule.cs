using System.Linq.Expressions;

namespace TurnoDigital.Core.Queueing;

/// <summary>
/// A rule about a ticket written once, as an expression over the ticket and the values it is asked with. EF runs it in SQL
/// with those values as parameters; in memory it runs compiled once. (An in-memory <c>AsQueryable()</c> would compile the
/// whole query on every run: a millisecond or more each, many times per live view.)
/// </summary>
public sealed class TicketRule<TValues, TResult>(Expression<Func<Ticket, TValues, TResult>> rule)
{
    readonly Func<Ticket, TValues, TResult> compiled = rule.Compile();

    /// <summary>For EF: the values read from a constant, which EF turns into parameters.</summary>
    public Expression<Func<Ticket, TResult>> For(TValues values) =>
        Expression.Lambda<Func<Ticket, TResult>>(rule.Body.Replace(rule.Parameters[1], Expression.Constant(values, typeof(TValues))), rule.Parameters[0]);

    public TResult Invoke(Ticket t, TValues values) => compiled(t, values);

    public Func<Ticket, TResult> InMemory(TValues values) => t => compiled(t, values);
}

static class ExpressionSubstitution
{
    /// <summary>The expression with <paramref name="to"/> wherever <paramref name="from"/> stood (a parameter, usually).</summary>
    public static Expression Replace(this Expression body, Expression from, Expression to) => new Visitor(from, to).Visit(body)!;

    sealed class Visitor(Expression from, Expression to) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node == from ? to : base.Visit(node);
    }
}
