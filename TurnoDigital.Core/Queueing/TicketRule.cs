using System.Linq.Expressions;

namespace TurnoDigital.Core.Queueing;

/// <summary>
/// A rule about an item written once, as an expression over the item and the values it is asked with. EF runs it in SQL
/// with those values as parameters; in memory it runs compiled once. (An in-memory <c>AsQueryable()</c> would compile the
/// whole query on every run: a millisecond or more each, many times per live view.)
/// </summary>
public class Rule<TItem, TValues, TResult>(Expression<Func<TItem, TValues, TResult>> rule) : IInlinedRule
{
    readonly Func<TItem, TValues, TResult> compiled = rule.Compile();

    LambdaExpression IInlinedRule.Expression => rule;

    /// <summary>For EF: the values read from a constant, which EF turns into parameters.</summary>
    public Expression<Func<TItem, TResult>> For(TValues values) =>
        Expression.Lambda<Func<TItem, TResult>>(rule.Body.Replace(rule.Parameters[1], Expression.Constant(values, typeof(TValues))), rule.Parameters[0]);

    /// <summary>In memory; inside a query written for <see cref="ExpressionSubstitution.Inline{T}"/>, where the rule's body goes.</summary>
    public TResult Invoke(TItem item, TValues values) => compiled(item, values);

    public Func<TItem, TResult> InMemory(TValues values) => t => compiled(t, values);
}

/// <summary>A rule about a ticket (<see cref="Rule{TItem, TValues, TResult}"/>).</summary>
public sealed class TicketRule<TValues, TResult>(Expression<Func<Ticket, TValues, TResult>> rule) : Rule<Ticket, TValues, TResult>(rule);

interface IInlinedRule
{
    LambdaExpression Expression { get; }
}

static class ExpressionSubstitution
{
    /// <summary>The expression with <paramref name="to"/> wherever <paramref name="from"/> stood (a parameter, usually).</summary>
    public static Expression Replace(this Expression body, Expression from, Expression to) => new Visitor(from, to).Visit(body)!;

    /// <summary>
    /// A query for <c>EF.CompileAsyncQuery</c>, which takes only scalar parameters: each <c>rule.Invoke(item, new Values(a, b))</c>
    /// in it becomes the rule's body over that item, with <c>a</c> and <c>b</c> where the rule reads the values' members.
    /// </summary>
    public static Expression<T> Inline<T>(this Expression<T> query) => (Expression<T>)new Inliner().Visit(query);

    sealed class Visitor(Expression from, Expression to) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node == from ? to : base.Visit(node);
    }

    sealed class Inliner : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.Name != nameof(Rule<int, int, int>.Invoke) || node.Object is null || !typeof(IInlinedRule).IsAssignableFrom(node.Object.Type))
                return base.VisitMethodCall(node);
            var rule = ((IInlinedRule)Expression.Lambda<Func<object>>(node.Object).Compile()()).Expression;
            if (node.Arguments[1] is not NewExpression values || values.Constructor is null)
                throw new NotSupportedException($"Inline a rule's values written as a constructor call: {node}");
            var arguments = values.Constructor.GetParameters().Select(p => p.Name!).Zip(values.Arguments)
                .ToDictionary(a => a.First, a => a.Second, StringComparer.OrdinalIgnoreCase);
            var body = new Members(rule.Parameters[1], arguments).Visit(rule.Body.Replace(rule.Parameters[0], node.Arguments[0]));
            return Visit(body); // rules inside the rule
        }
    }

    /// <summary>The values' members read by a rule, replaced by the arguments its values were built with.</summary>
    sealed class Members(ParameterExpression values, Dictionary<string, Expression> arguments) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression == values ? arguments[node.Member.Name] : base.VisitMember(node);
    }
}
