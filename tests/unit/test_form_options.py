"""forms.options: the plain select's options, escaped, made once per shared list of choices."""
from flask import Flask

from samenplan.forms import options


def test_options_are_escaped_and_a_shared_list_is_made_once():
    app = Flask(__name__)
    with app.test_request_context("/"):
        shared = [(0, "Nog niet gekozen"), (7, 'Ilse <b>"Smit"</b>')]
        html = options(shared)
        assert html == ('<option value="0">Nog niet gekozen</option><option value="7">'
                        'Ilse &lt;b&gt;&#34;Smit&#34;&lt;/b&gt;</option>')
        assert options(shared) is html, "the same list: made once"
        other = [(0, "Nog niet gekozen"), (8, "Joris Bakker: kan deze actie nu niet zien")]
        assert "Joris Bakker: kan deze actie nu niet zien" in options(other)
    with app.test_request_context("/"):
        shared.append((9, "Daan"))
        assert 'value="9"' in options(shared), "a new request makes them anew"
