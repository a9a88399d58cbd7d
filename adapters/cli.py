"""The `hosakan` command line: ask, chat, index, validate, eval, … Everything it prints for a
maintainer is Japanese (the sentences are in bot/messages.py); its help texts are here, beside
the options they describe."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from hosakan.adapters.console.render import render
from hosakan.bot import logs, messages
from hosakan.bot.conversation import Conversation
from hosakan.bot.evaluation import DEV_QUESTIONS, evaluate, load_questions
from hosakan.bot.events import Asker, Question, contract_of
from hosakan.bot.home import foreign_owner, home
from hosakan.bot.service import Hosakan
from hosakan.bot.settings import Settings, get_settings, load_settings
from hosakan.bot.storage.history import History, in_jst
from hosakan.indexer import embeddings
from hosakan.indexer.build import BuildBusy, BuildFailed, build, disk_full, unreadable_sources
from hosakan.indexer.store import current_generation, is_stale, read_manifest
from hosakan.knowledge.files import shown
from hosakan.knowledge.loader import Problem, load

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Hosakan（補佐官）：自治体のCIO・CDO・"
                                                                   "CIO補佐官の事例を、出典と時点つきで答えます。")
# into a pipe or a log file a line stays one line, however long (rich would break it at 80 columns)
out = Console(soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, soft_wrap=not sys.stderr.isatty())



@app.callback()
def _everywhere(
    ctx: typer.Context,
    data_home: Annotated[Optional[Path], typer.Option(
        "--home",
        help="データディレクトリ（HOSAKAN_HOME）：記録・インデックス・データベース・ソルト・.env の置き場所。")] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="ログ（JSON）を端末にも表示します（chat は通常、データディレクトリの chat.log "
                                "に書きます）。")] = False,
) -> None:
    """Log lines (warnings and errors here; `serve` logs more) as JSON on stderr."""
    import logging

    if data_home is not None:
        os.environ["HOSAKAN_HOME"] = str(data_home)
    ctx.obj = {"verbose": verbose}
    logs.configure(logging.WARNING)


CHAT_LOG = "chat.log"  # in the data directory: where `chat` on a terminal logs, off the screen


def _as_owner(*folders: Path) -> None:
    """Stop with one line when the data directory (or the index, wherever it is) belongs to another
    user: root running a command on the service's directory would leave files the service cannot write."""
    for folder in folders:
        owner = foreign_owner(folder)
        if owner is not None:
            err.print(Text(messages.wrong_user(str(folder), owner), style="red"), soft_wrap=True)
            raise typer.Exit(2)


def _settings() -> Settings:
    """The settings, for a command run by the data directory's own user."""
    settings = get_settings()
    _as_owner(settings.home, settings.index_dir)
    return settings


def _records_here(settings: Settings) -> None:
    """Stop with what to do when there is no knowledge folder yet (a fresh install)."""
    if not settings.knowledge_dir.is_dir():
        err.print(Text(messages.no_knowledge(str(settings.knowledge_dir))), soft_wrap=True)
        raise typer.Exit(2)


@app.command(help="データディレクトリを作ります：同梱の記録を最初のナレッジベースとしてコピーし、"
                  ".env のひな形とインデックスを作ります。")
def init(
    directory: Annotated[Optional[Path], typer.Argument(
        metavar="[DIR]",
        help="作るデータディレクトリ（省略時は HOSAKAN_HOME、なければ ~/.local/share/hosakan）。")] = None,
    update: Annotated[bool, typer.Option("--update", help="パッケージの更新後に：同梱の記録のうち変わったものを示し、"
                                                          "確かめたものだけをコピーします。")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="--update で、変わった同梱の記録をすべてコピーします。")] = False,
) -> None:
    from hosakan.bot.home import copy_bundled_records, private_dir

    if directory is not None:
        os.environ["HOSAKAN_HOME"] = str(directory)
    place = home()
    _as_owner(place.root, place.index)
    if place.checkout:
        out.print(Text(messages.init_in_checkout(str(place.knowledge))), soft_wrap=True)
        return
    if update:
        _update_bundled(place.knowledge, yes)
        return
    private_dir(place.root)
    copied = copy_bundled_records(place.knowledge)
    if not place.env_file.exists():
        place.env_file.write_text(messages.ENV_TEMPLATE, encoding="utf-8")
        place.env_file.chmod(0o600)
    settings = _settings()
    _records_here(settings)
    _rebuild_or_exit(settings)
    out.print(Text(messages.initialised(str(place.root), copied, directory is not None)), soft_wrap=True)


@app.command(help="バックアップ：データベース（SQLite はオンラインバックアップで、serve を止めずに）、ソルト、"
                  "記録と原資料、.env（秘密の値は除く）を1つのアーカイブ（.tar.gz）に書きます。")
def backup(
    destination: Annotated[Path, typer.Argument(
        metavar="DEST", help="書き出すアーカイブ（例：/backup/hosakan-2026-12-01.tar.gz）。")],
    with_secrets: Annotated[bool, typer.Option(
        "--with-secrets", help=".env のトークン・パスワードも含めます。")] = False,
) -> None:
    from hosakan.bot.backup import BackupError, backup as write_backup
    from hosakan.bot.storage.salt import salt_file

    settings = _settings()
    try:
        done = write_backup(destination, root=settings.home, knowledge=settings.knowledge_dir,
                            database_url=settings.database_url,
                            salt_file=salt_file(settings.database_url, settings.home), with_secrets=with_secrets)
    except (BackupError, OSError) as error:
        err.print(Text(str(error) if isinstance(error, BackupError) else messages.backup_failed(str(error)),
                       style="red"))
        raise typer.Exit(1) from None
    if done.left_out:  # links, hard links, FIFOs, bad names: what the index does not read either
        err.print(Text(messages.backup_left_out(done.left_out), style="yellow"), soft_wrap=True)
    out.print(Text(messages.backed_up(str(done.path), done.manifest)), soft_wrap=True)


@app.command(help="バックアップのアーカイブを、空のデータディレクトリに戻し、インデックスを作り直します"
                  "（すべて戻すか、何も変えないかのどちらかです。ただし記録に問題があってインデックスを作れない"
                  "ときは、データは戻し、直す記録を示して終了コード 3 で終わります。直してから hosakan index を"
                  "実行してください）。")
def restore(
    archive: Annotated[Path, typer.Argument(metavar="ARCHIVE", help="hosakan backup で作ったアーカイブ。")],
) -> None:
    from dataclasses import replace

    from hosakan.bot.backup import BackupError, restore as read_backup, sqlite_path

    settings = _settings()  # the target's settings: the archive's .env never says where anything goes
    built, refused = [], []

    def archived(problems: list[Problem], staged: Path) -> list[Problem]:
        """Problems named by the record's path once restored (where it is to be fixed), not in the
        folder it was unpacked to."""
        return [replace(p, path=settings.knowledge_dir / p.path.relative_to(staged))
                if p.path.is_relative_to(staged) else p for p in problems]

    def rebuild(knowledge: Path, index: Path) -> bool:
        """The index of the unpacked records, built beside the target with the target's settings;
        False when the records' problems refuse it (the data is restored all the same)."""
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=out, transient=True) as progress:
            task = progress.add_task("節を索引に登録中", total=None)
            embedding = progress.add_task("節のベクトルを計算中", total=None, visible=False)
            try:
                summary = build(knowledge, index, semantic=settings.semantic,
                                max_record_bytes=settings.max_record_bytes,
                                on_start=lambda total: progress.update(task, total=total),
                                progress=lambda done: progress.update(task, completed=done),
                                on_embed=lambda done, total: progress.update(embedding, completed=done, total=total,
                                                                             visible=True))
            except BuildFailed as failure:
                refused.extend(archived(failure.problems, knowledge))
                return False
        summary.skipped = archived(summary.skipped, knowledge)
        built.append(summary)
        return True

    try:
        done = read_backup(archive, root=settings.home, knowledge=settings.knowledge_dir, index=settings.index_dir,
                           database=sqlite_path(settings.database_url), rebuild=rebuild)
    except BackupError as error:
        err.print(Text(str(error), style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print(Text(messages.RESTORE_INTERRUPTED, style="yellow"))
        raise typer.Exit(130) from None
    if built:
        summary = built[0]
        out.print(Text(messages.built(summary.mode, summary.records, summary.passages, summary.seconds,
                                      str(settings.index_dir / summary.generation.name)), style="green"),
                  soft_wrap=True)
        if summary.sources:
            out.print(Text(messages.sources_indexed(summary.sources)))
        _report_skipped(summary.skipped)
    if done.skipped:
        err.print(Text(messages.restore_skipped(done.skipped), style="yellow"), soft_wrap=True)
    if done.disabled:
        err.print(Text(messages.restore_paths_disabled(done.disabled), style="yellow"), soft_wrap=True)
    if not done.indexed:  # restored, but the records refuse an index: exit 3 (documented in operations.md 11)
        _report_problems(refused)
        err.print(Text(messages.restored(str(settings.home), done.manifest, indexed=False), style="yellow"),
                  soft_wrap=True)
        raise typer.Exit(3)
    out.print(Text(messages.restored(str(settings.home), done.manifest), style="green"), soft_wrap=True)


def _update_bundled(knowledge: Path, yes: bool) -> None:
    """List the bundled records an upgrade changed and copy those the maintainer accepts (all with
    --yes; none without a terminal to ask on), then re-index."""
    from hosakan.bot.home import bundled_updates, copy_bundled

    changed = bundled_updates(knowledge)
    if not changed:
        out.print(Text(messages.NO_BUNDLED_UPDATES), soft_wrap=True)
        return
    out.print(Text(messages.bundled_updates(len(changed))), soft_wrap=True)
    accepted = []
    for name in changed:
        state = messages.BUNDLED_NEW if not (knowledge / name).exists() else messages.BUNDLED_CHANGED
        if yes:
            accepted.append(name)
            out.print(Text(f"  {name}（{state}）"))
        elif sys.stdin.isatty() and typer.confirm(f"  {name}（{state}）{messages.COPY_BUNDLED}", default=False):
            accepted.append(name)
        elif not sys.stdin.isatty():
            out.print(Text(f"  {name}（{state}）"))
    if not accepted:
        out.print(Text(messages.BUNDLED_NONE_COPIED), soft_wrap=True)
        return
    copy_bundled(knowledge, accepted)
    _rebuild_or_exit(_settings())
    out.print(Text(messages.bundled_copied(len(accepted)), style="green"), soft_wrap=True)


def _rebuild_or_exit(settings: Settings) -> None:
    """Build the index after the records changed under it; stop with the records' problems."""
    try:
        _build(settings, out)
    except BuildFailed as failure:
        _report_problems(failure.problems)
        raise typer.Exit(1) from None


def _report_problems(problems: list[Problem]) -> None:
    """One line per problem, `file: field: what is wrong`, never wrapped (editors can jump to it);
    `file:line: …` where one line is to blame (its message quotes the line)."""
    err.print(Text(messages.problems_found(len(problems)), style="red"))
    for problem in problems:
        where = getattr(problem, "line", None)
        line = Text(f"{shown(problem.path)}:{where}" if where else shown(problem.path), style="cyan")
        line.append(": ").append(shown(problem.field), style="magenta").append(f": {shown(problem.message)}")
        err.print(line, soft_wrap=True)


def _build(settings: Settings, console: Console, full: bool = False, wait: float = 600.0) -> None:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("節を索引に登録中", total=None)
        embedding = progress.add_task("節のベクトルを計算中", total=None, visible=False)
        try:
            summary = build(settings.knowledge_dir, settings.index_dir,
                            on_start=lambda total: progress.update(task, total=total),
                            progress=lambda done: progress.update(task, completed=done), full=full, wait=wait,
                            semantic=settings.semantic, max_record_bytes=settings.max_record_bytes,
                            on_embed=lambda done, total: progress.update(embedding, completed=done, total=total,
                                                                         visible=True),
                            on_wait=lambda: console.print(messages.BUILD_WAITING))
        except OSError as error:  # a full disk or an unwritable index folder: the live index keeps serving
            progress.stop()
            err.print(Text(messages.index_not_written(disk_full(error), error.strerror or str(error)),
                           style="red"), soft_wrap=True)
            raise typer.Exit(1) from None
    if summary.mode == "unchanged":
        console.print(Text(messages.reindex_unchanged(summary.generation.name, summary.records, summary.passages)))
        _report_skipped(summary.skipped)
        return
    for label, names in (("added", summary.added), ("changed", summary.changed), ("removed", summary.removed)):
        for name in names:
            console.print(Text(f"  {messages.BUILD_CHANGE_LABELS[label]}：{shown(name)}"))
    console.print(Text(messages.built(summary.mode, summary.records, summary.passages, summary.seconds,
                                      str(summary.generation)), style="green"))
    if summary.resumed:
        console.print(Text(messages.vectors_resumed(summary.resumed, summary.embedded)))
    if summary.sources:
        console.print(Text(messages.sources_indexed(summary.sources)))
    _report_skipped(summary.skipped)


def _report_skipped(problems: list[Problem]) -> None:
    """Source documents that could not be read: named with why, left out; the rest is indexed."""
    if problems:
        err.print(Text(messages.sources_skipped(len(problems)), style="yellow"))
        for problem in problems:
            err.print(Text(shown(problem.path), style="cyan").append(f": {shown(problem.message)}"), soft_wrap=True)


def _open(settings: Settings) -> Hosakan:
    """The live index, built first when there is none yet."""
    _records_here(settings)
    if read_manifest(settings.index_dir) is None:
        err.print(messages.BUILDING_FIRST)
        try:
            _build(settings, err)
        except BuildFailed as failure:
            _report_problems(failure.problems)
            raise typer.Exit(1) from None
    elif is_stale(settings.knowledge_dir, settings.index_dir):
        err.print(Text(messages.INDEX_STALE, style="yellow"))
    return Hosakan(settings)


@app.command(help="記録からインデックスを作り（速いときは変わった分だけ）、回答中のものと一瞬で入れ替えます。")
def index(
    if_stale: Annotated[bool, typer.Option("--if-stale", help="記録が変わったときだけ作ります。")] = False,
    full: Annotated[bool, typer.Option("--full", help="変わった分だけでなく、全体を作り直します。")] = False,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="別の作成が実行中なら、待たずに終わります。")] = False,
) -> None:
    settings = _settings()
    _records_here(settings)
    if if_stale and not full and not is_stale(settings.knowledge_dir, settings.index_dir):
        manifest = read_manifest(settings.index_dir)
        out.print(Text(messages.index_up_to_date(manifest["records"], manifest["passages"])))
        return
    try:
        _build(settings, out, full=full, wait=0 if no_wait else 600)
    except BuildFailed as failure:
        _report_problems(failure.problems)
        err.print(Text(messages.INDEX_NOT_REBUILT, style="red"))
        raise typer.Exit(1) from None
    except BuildBusy as busy:
        err.print(Text(messages.index_busy(str(busy)), style="red"))
        raise typer.Exit(2) from None
    except KeyboardInterrupt:  # Ctrl-C: the live index is untouched; vectors embedded so far are kept
        live = read_manifest(settings.index_dir) is not None
        err.print(Text(messages.INDEX_INTERRUPTED if live else messages.INDEX_INTERRUPTED_FIRST, style="yellow"))
        if (settings.index_dir / embeddings.CHECKPOINTS).exists():
            err.print(Text(messages.VECTORS_KEPT))
        raise typer.Exit(130) from None


@app.command(help="新しい記録のファイルを、すべての項目と書き方の説明つきで作ります。")
def new(
    kind: Annotated[str, typer.Argument(help="記録の種類：case（事例）・roundtable（座談会）・reference（資料）")],
    record_id: Annotated[str, typer.Argument(metavar="ID", help="新しい記録の id（例：ozu-city-cdo-hosakan）")],
) -> None:
    from hosakan.knowledge.scaffold import scaffold

    settings = _settings()
    _records_here(settings)
    try:
        path = scaffold(settings.knowledge_dir, kind, record_id)
    except (ValueError, FileExistsError) as error:
        err.print(Text(str(error), style="red"))
        raise typer.Exit(1) from None
    out.print(Text(messages.record_created(str(path))))


@app.command(help="自治体の募集要項・公募型プロポーザルの文書（PDF・HTML・Word・テキスト・Markdown）から、事例の記録の"
                  "下書きを作ります。各値の上に根拠の文を、見つからない項目に TODO を書きます。")
def draft(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="文書のファイル（.pdf・.html・.htm・.docx・.txt・.md）")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="下書きを書くファイル（例：drafts/ID.md。TODO を埋めてから knowledge/cases/ "
                               "に移します）。省略時は画面に出します。上書きはしません。")] = None,
) -> None:
    from hosakan.indexer.documents import Unreadable, read
    from hosakan.knowledge.draft import MAX_NOTICE_CHARS, draft_case, notice_text
    from hosakan.knowledge.glossary import Glossary
    from hosakan.knowledge.todos import leftover

    if not file.is_file():
        err.print(Text(messages.draft_no_file(str(file)), style="red"), soft_wrap=True)
        raise typer.Exit(2)
    try:
        document = read(file)
    except Unreadable as error:
        err.print(Text(messages.draft_unreadable(str(file), error.reason), style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except OSError as error:
        err.print(Text(messages.draft_unreadable(str(file), error.strerror or str(error)), style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    try:  # the data directory's glossary when it has a readable one, else the bundled one
        glossary = Glossary.load(_settings().knowledge_dir / "glossary.yaml")
    except Exception:  # noqa: BLE001 - validate reports a broken glossary; a draft still helps
        glossary = None
    notice = notice_text(document)
    if len(notice) > MAX_NOTICE_CHARS:  # drafting reads a notice's pages, not a whole plan: its time stays bounded
        err.print(Text(messages.draft_cut(MAX_NOTICE_CHARS, len(notice)), style="yellow"), soft_wrap=True)
        notice = notice[:MAX_NOTICE_CHARS].rsplit("\n", 1)[0]
    text = draft_case(notice, title=document.title, url=document.url, published=document.published,
                      glossary=glossary).render()
    if output is None:
        sys.stdout.write(text)
        err.print(Text(messages.draft_printed(len(leftover(text)))), soft_wrap=True)
        return
    if output.exists():
        err.print(Text(messages.draft_exists(str(output)), style="red"))
        raise typer.Exit(1)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    out.print(Text(messages.draft_written(str(output), len(leftover(text)))), soft_wrap=True)


@app.command(help="すべての記録を確かめ、問題をまとめて（ファイル・項目ごとに）示します。")
def validate() -> None:
    settings = _settings()
    _records_here(settings)
    base = load(settings.knowledge_dir, settings.max_record_bytes)
    _report_skipped(unreadable_sources(settings.knowledge_dir))
    if base.problems:
        _report_problems(base.problems)
        raise typer.Exit(1)
    out.print(Text(messages.records_valid(len(base.records), str(settings.knowledge_dir)), style="green"))


def _questions(question: str) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, why it cannot be asked): the argument, or every line of stdin read as
    bytes, so that one line that is not UTF-8 costs that line and no other."""
    if question != "-":
        readable = not any("\ud800" <= c <= "\udfff" for c in question)  # bytes the shell could not decode
        yield 1, question if readable else None, None if readable else "unreadable"
        return
    for number, raw in enumerate(sys.stdin.buffer, 1):
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield number, None, "unreadable"
            continue
        yield number, text, None if text.strip() else "empty"


@app.command(help="質問に、出典つきの抜粋で答えます。- なら標準入力の1行ごとに必ず1つ（空や読めない行にはエラー）"
                  "を順に返します。")
def ask(
    question: Annotated[str, typer.Argument(help="質問。- なら標準入力から1行に1問ずつ読みます。")],
    as_json: Annotated[bool, typer.Option(
        "--json", help="1問（読んだ1行）ごとに JSON オブジェクトを1行ずつ出します。")] = False,
    conversation: Annotated[Optional[str], typer.Option(
        "--conversation", help="この名前の会話の中で質問します：同じ名前で前に聞いたことを続きの質問が引き継ぎます"
                               "（HOSAKAN_DATABASE_URL に保存）。")] = None,
) -> None:
    settings = _settings()
    service = _open(settings)
    talk = Conversation.recording(service) if conversation else Conversation(service)
    asker = Asker("cli", "cli", name="cli")
    where = f"cli:{conversation}" if conversation else ""
    try:
        for number, text, problem in _questions(question):
            if problem:
                message = messages.EMPTY if problem == "empty" else messages.UNREADABLE_LINE
                data = {"line": number, "question": None, "answered": False, "error": problem, "message": message}
                rendered = Text(f"{number}行目：{message}" if question == "-" else message)
            else:
                reply = talk.ask(Question(text, asker, where))
                data = contract_of(reply, text)
                rendered = render(reply)
            if as_json:
                sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                out.print(rendered)
    finally:
        talk.close()


@app.command(help="端末でのチャット：質問と続きの質問、help、more／もっと（他の候補）、exit（終了）。"
                  "管理者として reindex・stats・gaps も使えます。")
def chat(ctx: typer.Context) -> None:
    import logging

    from hosakan.adapters.console.app import chat as console_chat

    settings = _settings()
    # the screen is for the conversation; logs go to a file
    if sys.stderr.isatty() and not (ctx.obj or {}).get("verbose"):
        logs.configure(logging.WARNING, settings.home / CHAT_LOG)
    talk = Conversation.recording(_open(settings))
    talk.purge()
    try:
        console_chat(talk, out)
    finally:
        talk.close()


@app.command(help="Web チャット・Slack・Teams・HTTP API・/healthz を1つのポートで提供します。")
def serve(
    host: Annotated[Optional[str], typer.Option(help="待ち受けるアドレス（HOSAKAN_HOST）。")] = None,
    port: Annotated[Optional[int], typer.Option(min=0, max=65535, help="ポート（HOSAKAN_PORT、0〜65535）。")] = None,
) -> None:
    import asyncio
    import logging

    from hosakan.adapters.server import Server

    logs.configure(logging.INFO)
    settings = _settings()
    updates = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = settings.model_copy(update=updates)
    from hosakan.adapters.platform import offers

    # every setting checked before anything opens
    given = {offer.key: load_settings(offer.settings) for offer in offers()}
    from hosakan.bot.home import bundled_updates

    if not home().checkout and bundled_updates(settings.knowledge_dir):  # said once, at start
        out.print(Text(messages.BUNDLED_NEWER), soft_wrap=True)
    server = Server(settings, Conversation.recording(_open(settings)), **given)
    for platform in server.platforms:
        out.print(Text(messages.serve_platform(platform.name, platform.mode != "off", platform.why)))
    out.print(Text(messages.semantic_state(server.bot.semantic_state())))
    workers = settings.workers or os.cpu_count() or 1

    def listening(port: int) -> None:  # the port is ours: now start the workers (questions wait meanwhile)
        server.bot.use_workers(workers)
        out.print(Text(messages.serve_workers(workers)))
        notes = [p.note for p in server.platforms if p.on and p.note]
        out.print(Text(messages.listening(f"http://{settings.host}:{port}", notes)))

    try:
        asyncio.run(server.run_forever(listening))
        out.print(messages.STOPPED)
    except KeyboardInterrupt:
        out.print(messages.STOPPED)
    except OSError as error:  # the address is taken or not this machine's
        import errno

        why = {errno.EADDRINUSE: "in_use", errno.EADDRNOTAVAIL: "not_here",
               errno.EACCES: "denied"}.get(error.errno, "other")
        err.print(Text(messages.cannot_listen(f"{settings.host}:{settings.port}", messages.LISTEN_PROBLEMS[why])),
                  soft_wrap=True)
        raise typer.Exit(2) from None
    finally:
        server.bot.close()  # the workers too


@app.command(name="teams-package", help="設定から Teams アプリのパッケージ（manifest.json とアイコン）を作ります。")
def teams_package(
    output: Annotated[Path, typer.Option(help="zip を書く場所。")] = Path("var/hosakan-teams.zip"),
) -> None:
    from hosakan.adapters.teams.package import PackageError, write_package
    from hosakan.adapters.teams.settings import TeamsSettings

    try:
        path = write_package(load_settings(TeamsSettings), output)
    except PackageError as error:
        err.print(Text(messages.teams_package_failed(str(error)), style="red"))
        raise typer.Exit(1) from None
    out.print(Text(messages.teams_package_written(str(path))))


@app.command(help="利用状況の報告：答えられなかった質問、👎の多い回答、担当者への質問、引用された・されなかった記録、"
                  "見直し時期の記録。時刻は日本時間。")
def report(
    days: Annotated[int, typer.Option(help="集計する期間：直近の日数。")] = 30,
    output_format: Annotated[str, typer.Option("--format", help="table（表）・json・csv")] = "table",
    stale_months: Annotated[Optional[int], typer.Option(help="この月数以上見直していない記録を示します。")] = None,
    purge: Annotated[bool, typer.Option(help="先に、保存期間を過ぎた質問の文を消します。")] = True,
) -> None:
    import csv

    from hosakan.bot.report import build_report
    from hosakan.indexer.store import load_snapshot, load_sources

    settings = _settings()
    history = History.from_settings(settings)
    if purge:
        history.purge()
    generation = current_generation(settings.index_dir)
    records = {r.id: r for r in load_snapshot(generation)[1]} if generation else {
        r.id: r for r in load(settings.knowledge_dir).records}
    result = build_report(history, records, days=days, stale_months=stale_months or settings.stale_review_months,
                          sources=load_sources(generation))
    if output_format == "json":
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["section", "item", "count", "detail"])
        writer.writerow(["summary", "asked", result.asked, ""])
        writer.writerow(["summary", "answered_share", f"{result.answered_share:.3f}", ""])
        for group in result.unanswered:
            writer.writerow(["unanswered", group.question, group.count, " / ".join(group.examples)])
        for row in result.worst_rated:
            writer.writerow(["worst_rated", row["question"], row["down"], f"up={row['up']}"])
        for record, count in result.most_cited:
            writer.writerow(["most_cited", record, count, ""])
        for record in result.never_cited:
            writer.writerow(["never_cited", record, 0, ""])
        for row in result.stale:
            writer.writerow(["stale", row["record"], "", row["reviewed"]])
        for row in result.escalated:
            writer.writerow(["escalated", row["question"], "", f"{row['at']} {row['platform']} {row['sent_to']}"])
        for row in result.changed_sources:
            writer.writerow(["changed_source", row["record"], "", f"{row['source']} {row['changed']}"])
        for row in result.uncurated_sources:
            writer.writerow(["uncurated_source", row["source"], "", row["title"]])
        return
    if output_format != "table":
        err.print(Text(messages.BAD_FORMAT, style="red"))
        raise typer.Exit(2)
    until = in_jst(result.until).strftime("%Y-%m-%d %H:%M") + f"（{messages.JST}）"
    out.print(Text(messages.report_heading(days, until, result.asked, result.answered_share), style="bold"))
    section = messages.REPORT_SECTIONS
    sections = [
        (*section["unanswered"], [(g.question, str(g.count), " / ".join(g.examples[1:])) for g in result.unanswered]),
        (*section["worst_rated"], [(r["question"], str(r["down"]), str(r["up"])) for r in result.worst_rated]),
        (*section["escalated"], [(r["question"], r["at"].replace("T", " "), r["platform"], r["sent_to"])
                                 for r in result.escalated]),
        (*section["most_cited"], [(r, str(n)) for r, n in result.most_cited]),
        (*section["never_cited"], [(r,) for r in result.never_cited]),
        (*messages.stale_section(stale_months or settings.stale_review_months),
         [(r["title"], r["reviewed"], r["record"]) for r in result.stale]),
        (*section["changed_sources"], [(r["title"], r["reviewed"], r["changed"], r["source"])
                                       for r in result.changed_sources]),
        (*section["uncurated_sources"], [(r["title"], r["municipality"] or "—", r["source"])
                                         for r in result.uncurated_sources]),
    ]
    for title, columns, rows in sections:
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        if not rows:
            table.add_row(*(["—"] * len(columns)))
        out.print(table)


@app.command(name="eval", help="検索の質を測ります：種類ごとの Recall@1・Recall@3・MRR と、"
                               "回答を控えるべき質問の正解率。")
def evaluate_command(
    questions: Annotated[Path, typer.Option(
        help="質問セット（YAML）。省略時は同梱の記録についての開発用セット。")] = DEV_QUESTIONS,
    stress: Annotated[bool, typer.Option(
        "--stress", help="代わりに、記録から生成したストレスセット（すべての事実をすべての書き方で、"
                         "よく似た別の質問も）で評価します。")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="結果を JSON で出します。")] = False,
    min_recall3: Annotated[Optional[float], typer.Option(help="全体の Recall@3 がこれを下回れば終了コード 1。")] = None,
    min_direct: Annotated[Optional[float], typer.Option(
        help="全体の直接の回答の正解率がこれを下回れば終了コード 1。")] = None,
    show_failures: Annotated[bool, typer.Option("--failures", help="3位までに正解がなかった質問を示します。")] = False,
) -> None:
    settings = _settings()
    bot = _open(settings)
    if stress:
        from hosakan.bot.stress import generate

        asked, name = generate(list(bot.index.records.values()), bot.index.glossary), messages.STRESS_SET
    else:
        try:
            asked, name = load_questions(questions), questions.name
        except (OSError, ValueError, yaml.YAMLError) as error:
            err.print(Text(messages.unreadable_questions(str(questions), str(error).splitlines()[0])))
            raise typer.Exit(2) from None
    report = evaluate(bot.retriever, asked)
    rows = {**report.by_kind(), "overall": report.overall()}
    # this run against the previous run of the same set, kept in the data directory
    from hosakan.bot import eval_history

    stored = eval_history.store_path(settings.home, None if stress else questions)
    run = eval_history.snapshot(report, rows, name)
    try:
        compared = eval_history.compare(eval_history.load(stored), run)
    except ValueError:
        err.print(Text(messages.eval_previous_unreadable(str(stored))), soft_wrap=True)
        compared = None
    try:
        eval_history.save(stored, run)
    except OSError as error:
        err.print(Text(messages.eval_not_saved(str(stored), str(error))), soft_wrap=True)
    if as_json:
        sys.stdout.write(json.dumps({**rows, "compared": compared}, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title=messages.eval_title(name))
        for number, column in enumerate(messages.EVAL_COLUMNS):
            table.add_column(column, justify="right" if number else "left")
        for kind, row in rows.items():
            table.add_row(kind, str(row["questions"]), f"{row['recall@1']:.3f}", f"{row['recall@3']:.3f}",
                          "-" if row["mrr"] is None else f"{row['mrr']:.3f}",
                          "-" if row["abstain_accuracy"] is None else f"{row['abstain_accuracy']:.3f}",
                          "-" if row["direct_accuracy"] is None else f"{row['direct_accuracy']:.3f}",
                          style="bold" if kind == "overall" else None)
        out.print(table)
        for line in eval_history.describe(compared):
            out.print(Text(line), soft_wrap=True)
    if show_failures:
        for outcome in report.failures():
            if outcome.direct_correct is False and outcome.recalled(3):
                err.print(Text(messages.eval_wrong_direct(outcome.question.kind, outcome.question.q,
                                                          outcome.answer.direct_answer)))
            else:
                err.print(Text(messages.eval_missed(outcome.question.kind, outcome.question.q,
                                                    outcome.answer.answered)))
    failed = False
    if min_recall3 is not None and rows["overall"]["recall@3"] < min_recall3:
        err.print(Text(messages.eval_below(rows["overall"]["recall@3"], min_recall3), style="red"))
        failed = True
    direct = rows["overall"]["direct_accuracy"]
    if min_direct is not None and direct is not None and direct < min_direct:
        err.print(Text(messages.eval_direct_below(direct, min_direct), style="red"))
        failed = True
    if failed:
        raise typer.Exit(1)


def main() -> None:
    app()
