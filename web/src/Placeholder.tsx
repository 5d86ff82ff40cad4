// A screen that is not built yet says so and what it will hold; it offers nothing that does not work.
export function Placeholder({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="placeholder" aria-labelledby="placeholder-title">
      <h1 id="placeholder-title">{title}</h1>
      <p className="notice">Этот экран ещё не готов — в этой версии консоли его нет.</p>
      <div>{children}</div>
      <p>Пока то же самое доступно через GraphiQL: <a href="/graphql">/graphql</a>.</p>
    </main>
  )
}
