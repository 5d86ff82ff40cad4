// «Звонок»: what the caller says → the record → its neighbourhood and every open conflict around it →
// register the call as an incident or complaint linked to those findings. Keyboard first.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useQuery } from 'urql'
import type { EntityFieldsFragment, EntityType } from '../gql/graphql.ts'
import { count, ENTITY_WORD, FINDINGS, MATCH_WORD, RESULTS } from '../format.ts'
import { CardQuery, SearchQuery } from '../operations.ts'
import { Card } from './Card.tsx'

export interface Chosen { type: EntityType; key: string }

/** The box's text survives the screen being drawn again (after «Повторить»), not a sign-out. */
let lastText = ''

/** At sign-out: the next person in this tab does not see what the last caller said. */
export function forgetSearch(): void {
  lastText = ''
}

/** The value after it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

export function Call({ canRegister }: { canRegister: boolean }) {
  const [text, setText] = useState(lastText)
  const [active, setActive] = useState(0)
  const [open, setOpen] = useState(lastText.trim().length >= 2)
  const [chosen, setChosen] = useState<Chosen | null>(null)
  const box = useRef<HTMLInputElement>(null)
  const listId = useId()
  useEffect(() => { box.current?.focus() }, [])
  useEffect(() => { lastText = text }, [text])

  // 80 ms, not 150: keystroke to results must stay within 150 ms p95 at 100k addresses (BENCHMARKS.md «console»).
  // A person's pauses between keys (60–200 ms) now often send a request; the server answers those in tens of
  // milliseconds and the answer to an older text is dropped
  const settled = useDebounced(text.trim(), 80)
  // urql drops the answer of a request whose variables have changed since: a stale answer is never shown
  const [search] = useQuery({ query: SearchQuery, variables: { text: settled }, pause: settled.length < 2 })
  const hits = settled.length >= 2 && search.data ? search.data.search : []
  // oxlint-disable-next-line react/set-state-in-effect -- new hits: the highlight goes back to the first
  useEffect(() => setActive(0), [search.data])

  function choose(index: number) {
    const hit = hits[index]
    if (!hit) return
    setChosen({ type: hit.type, key: hit.key })
    setOpen(false)
  }

  function onKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') { event.preventDefault(); setOpen(true); setActive((i) => Math.min(i + 1, Math.max(hits.length - 1, 0))) }
    else if (event.key === 'ArrowUp') { event.preventDefault(); setActive((i) => Math.max(i - 1, 0)) }
    else if (event.key === 'Enter') { event.preventDefault(); choose(active) }
    else if (event.key === 'Escape') {
      event.preventDefault()
      // the first Esc clears the box; on an empty box it closes the card too
      if (text) { setText(''); setOpen(false) } else setChosen(null)
    }
  }

  const showList = open && settled.length >= 2
  return (
    <main className="call" aria-labelledby="call-title">
      <h1 id="call-title" className="visually-hidden">Звонок</h1>
      <div className="searchbar">
        <label htmlFor="call-search">Что говорит звонящий</label>
        <div className="combo">
          <input id="call-search" ref={box} type="search" role="combobox" autoComplete="off" spellCheck={false}
            placeholder="адрес, телефон, ФИО, ИНН, номер договора, серийный номер или MAC"
            aria-expanded={showList} aria-controls={listId} aria-autocomplete="list"
            aria-activedescendant={showList && hits[active] ? `${listId}-${active}` : undefined}
            value={text} onChange={(e) => { setText(e.target.value); setOpen(true) }} onKeyDown={onKey} />
          {showList && (
            // data-for: the text these hits answer (a stale answer is never shown; the bench waits on it)
            <ul id={listId} role="listbox" aria-label="Найденные записи" className="hits" data-for={search.data ? search.operation?.variables.text : undefined}>
              {search.fetching && hits.length === 0 && <li className="muted" role="presentation">Ищем…</li>}
              {!search.fetching && hits.length === 0 && !search.error && <li className="muted" role="presentation">Ничего не найдено</li>}
              {hits.map((hit, i) => (
                <li key={`${hit.type}:${hit.key}`} id={`${listId}-${i}`} role="option" aria-selected={i === active}
                  className={i === active ? 'active' : undefined}
                  onMouseDown={(e) => { e.preventDefault(); choose(i) }} onMouseEnter={() => setActive(i)}>
                  <span className="type">{ENTITY_WORD[hit.type] ?? hit.type}</span>
                  <span className="label">{hit.label}</span>
                  <span className="key">{hit.key}</span>
                  <span className="by">{MATCH_WORD[hit.matchedBy] ?? ''}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <p className="hint" aria-live="polite">
          {showList && hits.length > 0 ? `${count(hits.length, RESULTS)}: ↑ ↓ — выбор, Enter — открыть, Esc — очистить` : '↑ ↓ — выбор, Enter — открыть, Esc — очистить'}
        </p>
      </div>
      {chosen ? <CardLoader chosen={chosen} canRegister={canRegister} onOpen={(c) => { setChosen(c); setText(''); setOpen(false) }} />
        : <p className="empty">Начните вводить то, что называет звонящий: найденная запись откроется с её окружением и открытыми находками.</p>}
    </main>
  )
}

function CardLoader({ chosen, canRegister, onOpen }: { chosen: Chosen; canRegister: boolean; onOpen: (c: Chosen) => void }) {
  const [card, refetch] = useQuery({ query: CardQuery, variables: chosen })
  if (card.fetching && !card.data) return <section className="card" aria-busy="true"><p className="muted">Загружаем карточку…</p></section>
  if (card.error && !card.data) return <section className="card"><p className="problem" role="alert">Карточку получить не удалось: {card.error.message}</p></section>
  const conflicts = card.data?.conflicts
  if (!conflicts) return <section className="card"><p className="problem">Запись {chosen.key} не найдена или вне ваших рынков.</p></section>
  return <Card conflicts={conflicts} canRegister={canRegister} onOpen={onOpen}
    onRegistered={() => refetch({ requestPolicy: 'network-only' })} summary={count(conflicts.count, FINDINGS)} />
}

export type { EntityFieldsFragment }
