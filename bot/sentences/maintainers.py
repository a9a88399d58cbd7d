"""What maintainers and municipal IT administrators read from the `hosakan` command: validation,
indexing, backup and restore, reports, evaluation, drafts, the .env template, settings."""

from __future__ import annotations

from hosakan.indexer.sentences import BUILD_CHANGE_LABELS


# -- the command line: what a maintainer reads ------------------------------------------------
def on_line(number: int, message: str) -> str:
    """What is wrong with one line of a batch (`hosakan ask -`), with its line number."""
    return f"{number}行目：{message}"


def no_knowledge(path: str) -> str:
    return (f"記録のフォルダー（{path}）がありません。`hosakan init` でデータディレクトリを作ってください"
            "（同梱の記録を最初のナレッジベースとしてコピーし、インデックスを作ります）。")


def init_in_checkout(path: str) -> str:
    return (f"ソースのチェックアウトでは、チェックアウトの記録（{path}）をそのまま使います。"
            "別の場所にデータディレクトリを作るときは `hosakan init DIR` か HOSAKAN_HOME を指定してください。")


def initialised(root: str, copied: int, named: bool) -> str:
    text = (
        f"データディレクトリ {root} を用意しました（同梱の記録を{copied}件コピー。既にあったファイルはそのまま）。\n"
        f"・記録：{root}/knowledge　・設定：{root}/.env　・インデックスとデータベースもここに置きます。\n"
    )
    if named:
        text += (
            f"このディレクトリを使うには HOSAKAN_HOME={root} を設定するか、"
            f"`hosakan --home {root} …` としてください。\n"
        )
    return text + (
        "試してみる：hosakan ask \"大阪府のCIO補佐官の任期は？\""
        "　／　チャット：hosakan chat　／　サーバー：hosakan serve"
    )


ENV_TEMPLATE = """\
# Hosakan の設定（このファイルは所有者だけが読めます）。行頭の # を外して値を入れてください。
# 設定の一覧と意味は README の「The `hosakan` command」を見てください。
#
# 待ち受けるアドレスとポート（既定 127.0.0.1:3978。127.0.0.1 以外では Web 画面にアクセス制御が必要）
# HOSAKAN_HOST=127.0.0.1
# HOSAKAN_PORT=3978
#
# Web 画面のアクセス制御（どちらか）：シングルサインオンのプロキシが付けるヘッダー名／共有の合言葉
# HOSAKAN_WEB_USER_HEADER=X-Forwarded-User
# HOSAKAN_WEB_ACCESS_CODE=
#
# HTTP API のトークン（カンマ区切り、各16文字以上。例：openssl rand -hex 24）
# HOSAKAN_API_TOKENS=
#
# 複数台で動かすときの共有データベースと、全台で同じにする利用者IDのソルト
# HOSAKAN_DATABASE_URL=postgresql+psycopg://hosakan@db.example.lg.jp/hosakan
# HOSAKAN_USER_ID_SALT=
#
# Slack／Teams
# SLACK_BOT_TOKEN=
# SLACK_SIGNING_SECRET=
# MicrosoftAppId=
# MicrosoftAppPassword=
"""


NO_BUNDLED_UPDATES = "同梱の記録はデータディレクトリのものと同じです。"
BUNDLED_NEW = "新しい記録"
BUNDLED_CHANGED = "内容が変わった記録"
COPY_BUNDLED = "をコピーしますか（データディレクトリの同じファイルは置き換わります）"
BUNDLED_NONE_COPIED = (
    "何もコピーしませんでした。"
    "コピーするには hosakan init --update を端末で実行するか、--yes を付けてください。"
)
BUNDLED_NEWER = ("同梱の記録に、データディレクトリにない更新があります。hosakan init --update で確かめてコピーできます"
                 "（確かめるまでは、今の記録で答えます）。")


def bundled_record(name: str, state: str) -> str:
    """A bundled record `hosakan init --update` lists: its name and whether it is new or changed."""
    return f"  {name}（{state}）"


def bundled_updates(count: int) -> str:
    return f"パッケージに同梱の記録のうち、データディレクトリのものと違うものが{count}件あります："


def bundled_copied(count: int) -> str:
    return f"同梱の記録{count}件をコピーし、インデックスを作り直しました。"


def backed_up(path: str, manifest: dict) -> str:
    held = [f"記録と原資料 {manifest['knowledge']}件"] + [label for key, label in (
        ("salt", "ソルト"), ("env", ".env")) if manifest.get(key)]
    if manifest.get("database") == "sqlite":
        held.insert(0, "データベース")
    text = f"バックアップを {path} に書きました（{'、'.join(held)}）。"
    if manifest.get("database") == "external":
        text += (
            "データベースは PostgreSQL なので含めていません。"
            "pg_dump で別に保存してください（例：pg_dump -Fc hosakan > hosakan.dump）。"
        )
    elif manifest.get("database") is None:
        text += "データベースはまだありません（質問を記録すると作られます）。"
    if manifest.get("secrets_left_out"):
        text += (
            f".env の秘密の値（{'、'.join(manifest['secrets_left_out'])}）は含めていません"
            "（含めるときは --with-secrets）。"
        )
    return text + "このファイルには質問の記録が入ります。所有者だけが読める場所に保管してください。"


def backup_failed(why: str) -> str:
    return f"バックアップを書けませんでした：{why}"


def backup_too_large(size: str, limit: str) -> str:
    return f"大きすぎます（{size}。hosakan restore が戻せるのは1ファイル {limit} まで）。別に保管してください"


def backup_left_out(files: list[str]) -> str:
    shown = "、".join(files[:20]) + (f" ほか{len(files) - 20}件" if len(files) > 20 else "")
    return f"knowledge フォルダーのうち次の{len(files)}件はバックアップに含めていません：{shown}"


def restored(root: str, manifest: dict, indexed: bool = True) -> str:
    text = f"{root} にバックアップ（{manifest.get('created', '')}）を戻し、インデックスを作り直しました。"
    if not indexed:
        text = (f"{root} にバックアップ（{manifest.get('created', '')}）を戻しましたが、記録に問題があるため"
                "インデックスは作れませんでした。上の記録を直してから hosakan index を実行してください"
                "（それまで質問には答えられません）。")
    if manifest.get("secrets_left_out"):
        text += f".env の {'、'.join(manifest['secrets_left_out'])} は元の値を設定し直してください。"
    if manifest.get("database") == "external":
        text += "データベースは PostgreSQL だったため含まれていません。pg_restore で戻してください。"
    return text


# why hosakan restore left an archive member out (shown after its name)
SKIPPED_WHY = {"absolute": "絶対パス", "outside": "「..」で外を指すパス", "link": "リンク", "device": "デバイス",
               "not_file": "通常のファイルではありません", "unknown": "バックアップが書かない名前",
               "postgres": "設定のデータベースが PostgreSQL のため"}
ENV_PATH_DISABLED = "hosakan restore が無効にしました（別の場所のパス）"
RESTORE_INTERRUPTED = "中断しました。戻し先は元のままです。"


def restore_skipped(members: list[str]) -> str:
    shown = "、".join(members[:20]) + (f" ほか{len(members) - 20}件" if len(members) > 20 else "")
    return f"アーカイブのうち次の{len(members)}件は戻していません：{shown}"


def restore_paths_disabled(keys: list[str]) -> str:
    return (f"アーカイブの .env の {'、'.join(keys)} は別の場所を指していたため、行頭に # を付けて無効にしました"
            "（記録・インデックス・データベースは、今の設定の場所に戻しました）。")


def problems_found(count: int) -> str:
    return f"記録に問題が{count}件あります（ファイル: 項目: 内容）："


BUILD_WAITING = "別の hosakan index が実行中です。終わるのを待っています…"


INDEXING_PASSAGES = "節を索引に登録中"  # the progress bars of a build
EMBEDDING = {"passages": "節のベクトルを計算中", "words": "語のベクトルを計算中"}  # by the unit embedded


def build_change(change: str, name: str) -> str:
    """One file a build added, changed or removed (``change``: a key of ``BUILD_CHANGE_LABELS``)."""
    return f"  {BUILD_CHANGE_LABELS[change]}：{name}"


def built(mode: str, records: int, passages: int, seconds: float, generation: str) -> str:
    how = {"full": "全体", "incremental": "変更分のみ"}.get(mode, mode)
    return f"インデックスを作りました（{how}）：記録{records}件、節{passages}件、{seconds:.2f}秒 → {generation}"


def vectors_resumed(resumed: int, embedded: int) -> str:
    return f"止まった前回の作成で計算済みだったベクトル{resumed}件を使い、残りの{embedded}件だけを計算しました。"


INDEX_INTERRUPTED = "中断しました。インデックスは前のまま使えます。"
INDEX_INTERRUPTED_FIRST = "中断しました。インデックスはまだ作られていません。"
VECTORS_KEPT = "計算済みのベクトルは保存してあります。次の hosakan index は、その続きから計算します。"


def sources_indexed(count: int) -> str:
    return f"原資料（knowledge/sources）{count}件を含みます。"


def sources_skipped(count: int) -> str:
    return f"読めない原資料が{count}件あります（索引に入れず、ほかはそのまま使います）："


BUILDING_FIRST = "インデックスがまだないので、先に作ります。"
INDEX_STALE = "インデックスを作った後に記録が変わっています。hosakan index で更新してください。"


def index_up_to_date(records: int, passages: int) -> str:
    return f"インデックスは最新です（記録{records}件、節{passages}件）。"


INDEX_NOT_REBUILT = "インデックスは作り直していません。これまでのインデックス（あれば）で回答を続けます。"


def index_not_written(disk_full: bool, why: str) -> str:
    """A build that could not write its files (a full disk, a folder it may not write)."""
    cause = (
        "ディスクの空きが足りません。空きを作ってから" if disk_full else f"書き込めませんでした（{why}）。直してから"
    )
    return f"インデックスを作れませんでした：{cause}もう一度 hosakan index を実行してください。{INDEX_NOT_REBUILT}"


def index_busy(why: str) -> str:
    return f"別の hosakan index が実行中です（{why}）。終わってからもう一度実行してください。"


def record_created(path: str) -> str:
    return f"{path} を作りました。項目を埋めてから hosakan validate で確かめてください。"


def records_valid(count: int, folder: str) -> str:
    return f"{count}件の記録すべてに問題はありません（{folder}）。"


def serve_platform(name: str, on: bool, why: str) -> str:
    return f"{name}：{'有効' if on else '無効'} — {why}"


def semantic_state(state: str) -> str:
    return f"意味検索（semantic search）：{state}"


def serve_workers(count: int) -> str:
    if count <= 1:
        return "回答の処理：このプロセスで答えます（HOSAKAN_WORKERS=1）"
    return f"回答の処理：{count}個のワーカープロセスで並行して答えます（HOSAKAN_WORKERS、0 = CPU コア数）"


def listening(address: str, notes: list[str]) -> str:
    return f"{address} で待ち受けています（/healthz）" + "".join(f"。{note}" for note in notes)


WEB_AT = "Web チャットは /"


STOPPED = "停止しました。"


def cannot_listen(address: str, why: str) -> str:
    return f"{address} で待ち受けできません（{why}）。--host / --port（HOSAKAN_HOST / HOSAKAN_PORT）を変えてください。"


LISTEN_PROBLEMS = {"in_use": "ほかのプログラムが使っています", "not_here": "このマシンのアドレスではありません",
                   "denied": "権限がありません", "other": "開けません"}


def teams_package_failed(why: str) -> str:
    return f"Teams アプリのパッケージを作れません：{why}"


def teams_package_written(path: str) -> str:
    return (
        f"Teams アプリのパッケージを {path} に書きました。"
        "Teams の「アプリ → アプリを管理 → アプリをアップロード」で登録してください。"
    )


BAD_FORMAT = "--format には table・json・csv のどれかを指定してください。"


def report_heading(days: int, until: str, asked_count: int, share: float) -> str:
    return f"直近{days}日（{until}まで）：質問{asked_count}件、回答できた割合{share:.0%}"


REPORT_SECTIONS = {
    "unanswered": ("回答できなかった質問（多い順、似た質問はまとめています）", ("質問", "回数", "ほかの言い方")),
    "worst_rated": ("👎が多かった回答", ("質問", "👎", "👍", "👎の理由（新しい順）")),
    "most_cited": ("よく引用された記録", ("記録", "引用回数")),
    "never_cited": ("一度も引用されなかった記録", ("記録",)),
    "escalated": ("担当者への質問（担当者に聞く）", ("質問", "日時（日本時間）", "送信元", "送り先")),
    "changed_sources": ("見直した後に原資料が変わった記録", ("記録", "見直した日", "原資料が変わった日", "原資料")),
    "uncurated_sources": ("まだどの記録も引いていない原資料（記録にする候補）", ("原資料", "自治体", "ファイル")),
}


def stale_section(months: int) -> tuple[str, tuple[str, ...]]:
    return f"{months}か月以上見直していない記録", ("記録", "見直した日", "ID")


def unreadable_questions(path: str, why: str) -> str:
    return f"質問セットを読めません（{path}）：{why}"


def eval_title(name: str) -> str:
    return f"Hosakan の評価（{name}）"


EVAL_COLUMNS = ("種類", "質問数", "Recall@1", "Recall@3", "MRR", "回答を控えた正解率", "直接の回答の正解率",
                "誤った「記載なし」", "別の事実で回答")
EVAL_HALVES = {"dev": "開発用の半分", "held": "読まない半分"}
STRESS_SET = "記録から生成したストレスセット"


def eval_missed(kind: str, question: str, answered: bool) -> str:
    return f"取りこぼし [{kind}] {question} → {'回答した' if answered else '回答しなかった'}"


EVAL_FIGURES = {"recall@3": "Recall@3", "direct_accuracy": "直接の回答の正解率"}


def eval_below(figure: str, measured: float, minimum: float) -> str:
    return f"{EVAL_FIGURES[figure]} が {measured:.3f} で、下限の {minimum} を下回りました。"


def eval_title_half(name: str, half: str) -> str:
    return eval_title(f"{name}・{EVAL_HALVES[half]}")


def eval_wrong_refusal(kind: str, question: str, message: str | None) -> str:
    return f"誤って「記載なし」 [{kind}] {question} → {message or ''}"


def eval_wrong_direct(kind: str, question: str, direct: str | None) -> str:
    return f"直接の回答が違う [{kind}] {question} → {direct or '（直接の回答なし）'}"


JST = "日本時間"


# -- `hosakan eval`: the comparison with the previous run of the same set (bot/operations/eval_history.py) --
EVAL_FIRST_RUN = (
    "この質問セットの前回の結果がないため、比べられません"
    "（今回の結果を保存しました。次の実行から前回と比べます）。"
)
EVAL_METRICS = {"recall@1": "Recall@1", "recall@3": "Recall@3", "mrr": "MRR", "direct_accuracy": "直接の回答の正解率"}
EVAL_OVERALL = "全体"


def _eval_set_change(added: int, removed: int) -> str:
    if not (added or removed):
        return ""
    return f"質問セットが変わりました（追加 {added}問・削除 {removed}問）。"


def eval_nothing_changed(when: str, common: int, added: int, removed: int) -> str:
    return (
        f"前回（{when} 日本時間）から変わったところはありません"
        f"（{_eval_set_change(added, removed)}両方にある {common}問で比べました）。"
    )


def eval_compared_heading(when: str, common: int, added: int, removed: int) -> str:
    return f"前回（{when} 日本時間）との比較：{_eval_set_change(added, removed)}両方にある {common}問で比べます。"


def eval_figure_change(kind: str, metric: str, before: float, now: float) -> str:
    change = now - before
    digits = 3 if abs(change) >= 0.0005 else 4
    sign = "+" if change > 0 else "−"
    label = EVAL_OVERALL if kind == "overall" else kind
    return f"  {label} {EVAL_METRICS.get(metric, metric)}：{before:.3f} → {now:.3f}（{sign}{abs(change):.{digits}f}）"


def eval_worse_heading(count: int) -> str:
    return f"悪くなった質問（{count}問）："


def eval_better_heading(count: int) -> str:
    return f"良くなった質問（{count}問）："


def eval_rank(rank: int | None) -> str:
    return f"{rank}位" if rank else "見つからず"


def eval_right(right: bool) -> str:
    return "正解" if right else "不正解"


def eval_state_change(before: str, now: str) -> str:
    return f"{before} → {now}"


def eval_direct_change(before: bool, now: bool) -> str:
    return f"直接の回答 {'正しい' if before else '誤り'} → {'正しい' if now else '誤り'}"


def eval_question_change(kind: str, question: str, after: list[str], parts: list[str]) -> str:
    context = f"（「{after[-1]}」の続き）" if after else ""
    return f"  [{kind}] {question}{context}：" + "、".join(parts)


def eval_previous_unreadable(path: str) -> str:
    return f"前回の評価の結果（{path}）が読めないため、比べません（今回の結果で置き換えます）。"


def eval_not_saved(path: str, error: str) -> str:
    return f"評価の結果を保存できませんでした（{path}：{error}）。次の実行では比べられません。"


# -- hosakan draft: a case record drafted from a notice (adapters/cli/, knowledge/draft.py) ----
def draft_cut(used: int, total: int) -> str:
    return (
        f"文書が長いため、先頭の{used:,}文字（全{total:,}文字）から下書きを作りました。"
        "募集要項の部分だけのファイルにすると、全体から作れます。"
    )


def draft_no_file(path: str) -> str:
    return f"{path} が見つかりません。募集要項・公募型プロポーザルの文書のファイルを指定してください。"


def draft_unreadable(path: str, reason: str) -> str:
    return f"{path} を読めません：{reason}"


def draft_exists(path: str) -> str:
    return f"{path} は既にあります。上書きはしないので、別のファイル名を指定してください。"


def draft_written(path: str, todos: int) -> str:
    return (f"{path} に下書きを書きました。「# 根拠:」の文を出典と照らし合わせ、TODO {todos}件を埋めてから"
            "（埋めたら TODO の行を消します）hosakan validate で確かめてください。TODO が残っている間は通りません。")


def draft_printed(todos: int) -> str:
    return (
        f"下書きを出力しました（TODO {todos}件）。"
        "--output drafts/ID.md で作業用のファイルに書き、TODO を埋めてから"
        "knowledge/cases/ に移して hosakan validate で確かめてください"
        "（TODO の残った記録が knowledge/cases/ にあると、インデックスを作り直せません）。"
    )


def wrong_user(folder: str, owner: str) -> str:
    return (f"{folder} の所有者は {owner} です。{owner} として実行してください（例：sudo -u {owner} hosakan …。"
            "サーバーでは /usr/local/bin/hosakan を通して sudo hosakan …）。")


def semantic_on(model: str, passages: int) -> str:
    return f"有効（{model}、節{passages:,}件）"


SEMANTIC_NOT_INSTALLED = ("無効 — semantic extra が入っていません（pip install 'hosakan[semantic]'）。"
                          "語の一致だけで答えます")
SEMANTIC_NO_VECTORS = ("無効 — インデックスに節のベクトルがありません"
                       "（HOSAKAN_SEMANTIC=false か、hosakan index を実行してください）")
