"""What `hosakan --help` and `hosakan COMMAND --help` say: the command line's help texts, a
command's and each of its arguments' and options' (adapters/cli/), for maintainers and municipal IT.
What the commands print when they run is in ``maintainers``."""

from __future__ import annotations

HOSAKAN = "Hosakan（補佐官）：自治体のCIO・CDO・CIO補佐官の事例を、出典と時点つきで答えます。"
HOME = "データディレクトリ（HOSAKAN_HOME）：記録・インデックス・データベース・ソルト・.env の置き場所。"
VERBOSE = "ログ（JSON）を端末にも表示します（chat は通常、データディレクトリの chat.log に書きます）。"

# -- asking: ask, chat (adapters/cli/asking.py) -------------------------------------------------
ASK = "質問に、出典つきの抜粋で答えます。- なら標準入力の1行ごとに必ず1つ（空や読めない行にはエラー）を順に返します。"
ASK_QUESTION = "質問。- なら標準入力から1行に1問ずつ読みます。"
ASK_JSON = "1問（読んだ1行）ごとに JSON オブジェクトを1行ずつ出します。"
ASK_CONVERSATION = ("この名前の会話の中で質問します：同じ名前で前に聞いたことを続きの質問が引き継ぎます"
                    "（HOSAKAN_DATABASE_URL に保存）。")
CHAT = ("端末でのチャット：質問と続きの質問、help、more／もっと（他の候補）、exit（終了）。"
        "管理者として reindex・stats・gaps も使えます。")

# -- the data directory: init, backup, restore (adapters/cli/data.py) -------------------------
INIT = ("データディレクトリを作ります：同梱の記録を最初のナレッジベースとしてコピーし、"
        ".env のひな形とインデックスを作ります。")
INIT_DIRECTORY = "作るデータディレクトリ（省略時は HOSAKAN_HOME、なければ ~/.local/share/hosakan）。"
INIT_UPDATE = "パッケージの更新後に：同梱の記録のうち変わったものを示し、確かめたものだけをコピーします。"
INIT_YES = "--update で、変わった同梱の記録をすべてコピーします。"
BACKUP = ("バックアップ：データベース（SQLite はオンラインバックアップで、serve を止めずに）、ソルト、"
          "記録と原資料、.env（秘密の値は除く）を1つのアーカイブ（.tar.gz）に書きます。")
BACKUP_DESTINATION = "書き出すアーカイブ（例：/backup/hosakan-2026-12-01.tar.gz）。"
BACKUP_WITH_SECRETS = ".env のトークン・パスワードも含めます。"
RESTORE = ("バックアップのアーカイブを、空のデータディレクトリに戻し、インデックスを作り直します"
           "（すべて戻すか、何も変えないかのどちらかです。ただし記録に問題があってインデックスを作れない"
           "ときは、データは戻し、直す記録を示して終了コード 3 で終わります。直してから hosakan index を"
           "実行してください）。")
RESTORE_ARCHIVE = "hosakan backup で作ったアーカイブ。"

# -- the records and the index: index, new, draft, validate (adapters/cli/records.py) ----------
INDEX = "記録からインデックスを作り（速いときは変わった分だけ）、回答中のものと一瞬で入れ替えます。"
INDEX_IF_STALE = "記録が変わったときだけ作ります。"
INDEX_FULL = "変わった分だけでなく、全体を作り直します。"
INDEX_NO_WAIT = "別の作成が実行中なら、待たずに終わります。"
NEW = "新しい記録のファイルを、すべての項目と書き方の説明つきで作ります。"
NEW_KIND = "記録の種類：case（事例）・roundtable（座談会）・reference（資料）"
NEW_ID = "新しい記録の id（例：ozu-city-cdo-hosakan）"
DRAFT = ("自治体の募集要項・公募型プロポーザルの文書（PDF・HTML・Word・テキスト・Markdown）から、事例の記録の"
         "下書きを作ります。各値の上に根拠の文を、見つからない項目に TODO を書きます。")
DRAFT_FILE = "文書のファイル（.pdf・.html・.htm・.docx・.txt・.md）"
DRAFT_OUTPUT = ("下書きを書くファイル（例：drafts/ID.md。TODO を埋めてから knowledge/cases/ "
                "に移します）。省略時は画面に出します。上書きはしません。")
VALIDATE = "すべての記録を確かめ、問題をまとめて（ファイル・項目ごとに）示します。"

# -- serving: serve, teams-package (adapters/cli/serving.py) ----------------------------------
SERVE = "Web チャット・Slack・Teams・HTTP API・MCP（/mcp）・/healthz を1つのポートで提供します。"
SERVE_HOST = "待ち受けるアドレス（HOSAKAN_HOST）。"
SERVE_PORT = "ポート（HOSAKAN_PORT、0〜65535）。"
MCP = ("AI アシスタント向けの MCP サーバーを標準入出力（stdio）で動かします：ask・search・fetch の3つのツールで、"
       "記録の引用を出典と時点つきで返します。標準出力はプロトコル専用で、ほかの表示は標準エラーに出ます。")
TEAMS_PACKAGE = "設定から Teams アプリのパッケージ（manifest.json とアイコン）を作ります。"
TEAMS_PACKAGE_OUTPUT = "zip を書く場所。"
